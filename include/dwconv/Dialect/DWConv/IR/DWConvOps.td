//===- DWConvOps.td - dwconv operations --------------------*- tablegen -*-===//

#ifndef DWCONV_DIALECT_DWCONV_IR_DWCONVOPS_TD
#define DWCONV_DIALECT_DWCONV_IR_DWCONVOPS_TD

include "dwconv/Dialect/DWConv/IR/DWConvDialect.td"
include "dwconv/Dialect/DWConv/IR/DWConvEnums.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def DWConv_DepthwiseConv2DOp : DWConv_Op<"depthwise_conv2d", [
    Pure,
    InferTypeOpAdaptorWithIsCompatible,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
                              ["reifyResultShapes"]>
  ]> {
  let summary = "Keras DepthwiseConv2D: depthwise 2-D convolution, bias, activation";
  let description = [{
    Computes a Keras `DepthwiseConv2D` layer. Each input channel `c` is
    convolved with its own `kh x kw` filters, one per depth-multiplier index
    `m`, and written to output channel `c * M + m`; the optional bias is added
    and the activation applied.

    Operands:
    - `input`: rank 4, `(N, H, W, C)` for `channels_last` or `(N, C, H, W)` for
      `channels_first`;
    - `depthwise_kernel`: rank 4 in Keras layout `(kh, kw, C, M)`, whatever
      the data format; its type gives the kernel size and depth multiplier;
    - `bias` (optional): rank 1 with `C * M` elements.

    The result has the input's layout with `C * M` channels. Per spatial dim:
    - `same`: `ceil(in / stride)`; the padding is TensorFlow's (asymmetric):
      `total = max((out - 1) * stride + (k - 1) * dilation + 1 - in, 0)`,
      `before = total / 2`, the rest after;
    - `valid`: `ceil((in - (k - 1) * dilation) / stride)`, which must be > 0;
    - explicit, written `padding [top, bottom, left, right]` (attribute
      `pads`): zero rows and columns added before 'valid' is applied, so
      `ceil((in + before + after - (k - 1) * dilation) / stride)`.

    Every size is computed in checked int64 arithmetic: a layer whose sizes do
    not fit is rejected, never wrapped.

    `relu` and `leaky_relu` take Keras's parameters, written
    `activation relu(negative_slope = s, max_value = m, threshold = t)` and
    `activation leaky_relu(negative_slope = s)` (attributes of the same
    names, f32 as Keras computes them; each >= 0 and finite). `relu` with
    parameters is Keras's `relu(x, negative_slope, max_value, threshold)`:
    `y = (t != 0 ? x * (x > t) : max(x, 0))`, clipped to `[0, m]` where `m`
    is given, minus `s * max(t - x, 0)`; with `s != 0` and neither `m` nor
    `t`, it is `leaky_relu` with slope `s`. `leaky_relu` without a slope has
    Keras 3's activation default, 0.2.
    `softmax`, `log_softmax`, `glu` and `sparsemax` act on the last axis of
    the result, which is the width for `channels_first`. `glu` splits it into
    halves `a`, `b` and gives `a * sigmoid(b)`: the result's last axis is half
    the convolution's, and must be static and even.

    Attributes equal to their Keras default (strides and dilation `[1, 1]`,
    `valid`, `channels_last`, `linear`) may be omitted, and so may the result
    type, which is then inferred:

    ```mlir
    %y = dwconv.depthwise_conv2d %x, %k, %b strides [2, 2] padding same
           activation relu6
           : tensor<1x112x112x32xf32>, tensor<3x3x32x1xf32>, tensor<32xf32>
          -> tensor<1x56x56x32xf32>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$input,
    AnyRankedTensor:$depthwise_kernel,
    Optional<AnyRankedTensor>:$bias,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
    DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilation_rate,
    DefaultValuedAttr<DWConv_PaddingAttr,
                      "::mlir::dwconv::Padding::valid">:$padding,
    DefaultValuedAttr<DWConv_DataFormatAttr,
                      "::mlir::dwconv::DataFormat::channels_last">:$data_format,
    DefaultValuedAttr<DWConv_ActivationAttr,
                      "::mlir::dwconv::Activation::linear">:$activation,
    OptionalAttr<DenseI64ArrayAttr>:$pads,
    OptionalAttr<F32Attr>:$negative_slope,
    OptionalAttr<F32Attr>:$max_value,
    OptionalAttr<F32Attr>:$threshold
  );
  let results = (outs AnyRankedTensor:$output);

  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// Dimension positions of the input and result for this op's data format.
    TensorLayout getLayout() { return TensorLayout::get(getDataFormat()); }
    /// The attributes the result shape depends on.
    ConvConfig getConvConfig();
    /// The activation's parameters (Keras's defaults where not given).
    ActivationParams getActivationParams();
  }];
}

#endif // DWCONV_DIALECT_DWCONV_IR_DWCONVOPS_TD
