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

#endif // DWCONV_CONVERSION_PASSES_TD
