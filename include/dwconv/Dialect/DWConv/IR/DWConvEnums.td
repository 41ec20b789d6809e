//===- DWConvEnums.td - dwconv enums and their attributes --*- tablegen -*-===//

#ifndef DWCONV_DIALECT_DWCONV_IR_DWCONVENUMS_TD
#define DWCONV_DIALECT_DWCONV_IR_DWCONVENUMS_TD

include "mlir/IR/EnumAttr.td"
include "dwconv/Dialect/DWConv/IR/DWConvDialect.td"

// Keras has a third padding, 'causal', but only for 1-D convolutions: it is
// deliberately not a case here, so it cannot be expressed.
def DWConv_Padding : I32Enum<"Padding", "Keras padding mode", [
    I32EnumCase<"valid", 0>,
    I32EnumCase<"same", 1>,
    // Explicit (top, bottom, left, right) zero rows and columns, in the op's
    // `pads` attribute: a ZeroPadding2D folded into the layer, or TOSA's pad.
    // ('explicit' is a C++ keyword, hence the symbol.)
    I32EnumCase<"explicit_pads", 2, "explicit">
  ]> {
  let cppNamespace = "::mlir::dwconv";
}

def DWConv_DataFormat : I32Enum<"DataFormat", "Keras image data format", [
    I32EnumCase<"channels_last", 0>,
    I32EnumCase<"channels_first", 1>
  ]> {
  let cppNamespace = "::mlir::dwconv";
}

// One case per distinct function. Where Keras versions disagree on what a name
// means, each meaning has its own case; the importer picks by version.
def DWConv_Activation : I32Enum<"Activation",
    "Keras activation applied after the bias", [
    I32EnumCase<"linear", 0>,
    I32EnumCase<"relu", 1>,
    I32EnumCase<"relu6", 2>,
    // Keras 3 `leaky_relu` activation: negative_slope = 0.2.
    I32EnumCase<"leaky_relu", 3>,
    I32EnumCase<"elu", 4>,
    I32EnumCase<"selu", 5>,
    // Exact form 0.5*x*(1 + erf(x/sqrt(2))), the activation's default in both
    // tf.keras 2 and Keras 3.
    I32EnumCase<"gelu", 6>,
    I32EnumCase<"sigmoid", 7>,
    // Keras 3: relu6(x + 3) / 6.
    I32EnumCase<"hard_sigmoid", 8>,
    // tf.keras 2: clip(0.2*x + 0.5, 0, 1).
    I32EnumCase<"hard_sigmoid_keras2", 9>,
    // x * sigmoid(x); Keras also names it `swish`.
    I32EnumCase<"silu", 10>,
    // x * relu6(x + 3) / 6; Keras also names it `hard_swish`.
    I32EnumCase<"hard_silu", 11>,
    I32EnumCase<"mish", 12>,
    I32EnumCase<"tanh", 13>,
    I32EnumCase<"softplus", 14>,
    I32EnumCase<"softsign", 15>,
    I32EnumCase<"exponential", 16>,
    I32EnumCase<"log_sigmoid", 17>,
    // softmax and log_softmax reduce over the last axis of the output,
    // whatever the data format (as Keras does).
    I32EnumCase<"softmax", 18>,
    I32EnumCase<"log_softmax", 19>,
    // Keras 3 only, with Keras's default parameters:
    // max(x, 0) + expm1(min(x, 0)) (alpha = 1).
    I32EnumCase<"celu", 20>,
    // |x| > 0.5 ? x : 0.
    I32EnumCase<"hard_shrink", 21>,
    // clip(x, -1, 1).
    I32EnumCase<"hard_tanh", 22>,
    // x > 0.5 ? x - 0.5 : (x < -0.5 ? x + 0.5 : 0).
    I32EnumCase<"soft_shrink", 23>,
    // x <= -1 ? 0 : (x < 1 ? (x + 1)^2 / 4 : x).
    I32EnumCase<"sparse_plus", 24>,
    // x <= -1 ? 0 : (x >= 1 ? 1 : (x + 1) / 2).
    I32EnumCase<"sparse_sigmoid", 25>,
    // (x + sqrt(x^2 + 4)) / 2 (b = 4).
    I32EnumCase<"squareplus", 26>,
    // x - tanh(x).
    I32EnumCase<"tanh_shrink", 27>,
    // Keras 3 only, over the last axis of the output (as Keras does):
    // a * sigmoid(b) for the halves a, b of the last axis, which it halves.
    I32EnumCase<"glu", 28>,
    // Keras's sparsemax: max(x - tau, 0) with Keras's threshold
    // tau = (sum of the support's cumulative sums - 1) / k (not the paper's
    // (cumsum_k - 1) / k; keras/src/backend/*/nn.py sparsemax).
    I32EnumCase<"sparsemax", 29>
  ]> {
  let cppNamespace = "::mlir::dwconv";
}

def DWConv_PaddingAttr : EnumAttr<DWConv_Dialect, DWConv_Padding, "padding">;
def DWConv_DataFormatAttr
    : EnumAttr<DWConv_Dialect, DWConv_DataFormat, "data_format">;
def DWConv_ActivationAttr
    : EnumAttr<DWConv_Dialect, DWConv_Activation, "activation">;

#endif // DWCONV_DIALECT_DWCONV_IR_DWCONVENUMS_TD
