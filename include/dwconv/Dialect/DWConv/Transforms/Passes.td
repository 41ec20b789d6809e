//===- Passes.td - dwconv dialect passes -------------------*- tablegen -*-===//

#ifndef DWCONV_DIALECT_DWCONV_TRANSFORMS_PASSES_TD
#define DWCONV_DIALECT_DWCONV_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

// (keep alphabetical)

def DWConvExtractLayersPass
    : Pass<"dwconv-extract-layers", "::mlir::ModuleOp"> {
  let summary = "Give each dwconv op of a larger function a layer function";
  let description = [{
    The compiler takes layer functions (`getLayerFunctionOp` in
    LayerFunction.h, which dwconv-outline-kernels uses too): a public
    `func.func` whose arguments are the operands of one
    `dwconv.depthwise_conv2d` (or its input, with an `arith.constant` kernel
    and bias: baked weights) and which returns its result. A public function
    that holds dwconv ops but is not one (a model raised from TOSA by
    `dwconv-raise-tosa`, layers chained with other ops) gets, per op in
    order, a layer function `<name>_<i>`: the op's input becomes its
    argument, and its weights are cloned in where all of them are
    `arith.constant` ops, else all become arguments. The function itself
    becomes private (the compiler leaves it). Layer functions are left as
    they are.
  }];
}

def DWConvInferShapesPass
    : Pass<"dwconv-infer-shapes", "::mlir::ModuleOp"> {
  let summary = "Refine dynamic dwconv results whose operand shapes are static";
  let description = [{
    Re-infers the result type of every `dwconv.depthwise_conv2d` from its
    operands and makes each `?` static wherever the Keras shape rule allows,
    in program order, so refined results feed the next op. An operand that
    reaches the op through a `tensor.cast` which only erased static sizes is
    taken from the cast's source. Dims that depend on a dynamic operand dim
    stay dynamic.

    `func.func` result types are refined to what their `func.return`s now
    return, and `func.call` sites follow. A refined value whose user cannot
    take the new type (anything other than a dwconv op, `tensor.dim`,
    `tensor.cast` or the `func.return` of a refined function) reaches that
    user through a `tensor.cast` back to the old type.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

#endif // DWCONV_DIALECT_DWCONV_TRANSFORMS_PASSES_TD
