//===- DWConvDialect.td - dwconv dialect definition --------*- tablegen -*-===//

#ifndef DWCONV_DIALECT_DWCONV_IR_DWCONVDIALECT_TD
#define DWCONV_DIALECT_DWCONV_IR_DWCONVDIALECT_TD

include "mlir/IR/OpBase.td"

def DWConv_Dialect : Dialect {
  let name = "dwconv";
  let cppNamespace = "::mlir::dwconv";
  let summary = "The Keras DepthwiseConv2D layer as one MLIR operation";
  let description = [{
    The `dwconv` dialect carries a Keras `DepthwiseConv2D` layer as a single
    op whose attributes are the layer's arguments, typed. Shapes follow Keras
    exactly; the lowering to linalg makes padding, layout, depth multiplier and
    the activation explicit.
  }];
  // Result-shape reification builds tensor.dim and arith ops.
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::tensor::TensorDialect"
  ];
  let useDefaultAttributePrinterParser = 1;
}

class DWConv_Op<string mnemonic, list<Trait> traits = []>
    : Op<DWConv_Dialect, mnemonic, traits>;

#endif // DWCONV_DIALECT_DWCONV_IR_DWCONVDIALECT_TD
