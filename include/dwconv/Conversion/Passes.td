//===- Passes.td - dwconv conversion passes ----------------*- tablegen -*-===//

#ifndef DWCONV_CONVERSION_PASSES_TD
#define DWCONV_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

// (keep alphabetical)

def ConvertDWConvToLinalgPass : Pass<"convert-dwconv-to-linalg"> {
  let summary = "Lower dwconv.depthwise_conv2d to linalg on tensors";
  let description = [{
    Makes the Keras semantics of every `dwconv.depthwise_conv2d` explicit:
    - `channels_first` operands are transposed to NHWC and the result back;
    - `same` padding becomes a `tensor.pad` with TensorFlow's asymmetric
      amounts (`total = max((out - 1) * stride + (k - 1) * dilation + 1 - in,
      0)`, `before = total / 2`, the rest after), computed at run time for
      dynamic sizes;
    - the contraction is `linalg.depthwise_conv_2d_nhwc_hwc` (depth
      multiplier 1) or, for multiplier M > 1, one `linalg.generic` writing
      the `C * M` output channels directly (output channel `j = c * M + m`
      reads input channel `j floordiv M`), accumulating the taps in the order
      `linalg.depthwise_conv_2d_nhwc_hwcm` does;
    - bias and an elementwise activation are one `linalg.generic` epilogue;
      softmax and log_softmax reduce over the last axis in their own step.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ConvertDWConvToTosaPass : Pass<"convert-dwconv-to-tosa"> {
  let summary = "Lower dwconv.depthwise_conv2d to TOSA";
  let description = [{
    For pipelines that take TOSA: `tosa.depthwise_conv2d` (f32, zero points
    0, `same` padded as TensorFlow pads it, which needs static spatial input
    dims), a `tosa.transpose` on each side for `channels_first`, and the
    activation as TOSA ops where TOSA has one (relu, relu6 and relu with
    max_value as `tosa.clamp`, leaky_relu, sigmoid, tanh, exponential, silu).
    Other activations are an error on the op.
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

def DWConvRaiseTosaPass : Pass<"dwconv-raise-tosa"> {
  let summary = "Raise tosa.depthwise_conv2d to dwconv.depthwise_conv2d";
  let description = [{
    Where the semantics match exactly (f32 throughout, zero points 0), a
    `tosa.depthwise_conv2d` becomes a `dwconv.depthwise_conv2d` with explicit
    padding, and what producers put around it folds in: NCHW transposes on
    both sides (channels_first), a `tosa.add` of a per-channel constant (the
    bias), `tosa.clamp(0, m)` or `tosa.maximum` with 0 and `tosa.minimum`
    with m (relu, relu6, relu with max_value). Constant weights become
    `arith.constant`. Other ops (quantized, with zero points and a rescale)
    are left as they are, with a remark saying why.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::dwconv::DWConvDialect"
  ];
}

#endif // DWCONV_CONVERSION_PASSES_TD
