// RUN: dwconv-opt %s -split-input-file -verify-diagnostics

// Errors of the custom assembly format.

func.func @causal(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{invalid padding 'causal': causal padding exists only for 1-D convolutions; expected 'valid', 'same' or [top, bottom, left, right]}}
  %y = dwconv.depthwise_conv2d %x, %k padding causal : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @unknown_padding(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{invalid padding 'full': expected 'valid', 'same' or [top, bottom, left, right]}}
  %y = dwconv.depthwise_conv2d %x, %k padding full : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @upper_case_padding(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // The IR is canonical: case folding of Keras spellings belongs to the importer.
  // expected-error @+1 {{invalid padding 'SAME': expected 'valid', 'same' or [top, bottom, left, right]}}
  %y = dwconv.depthwise_conv2d %x, %k padding SAME : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @unknown_data_format(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{invalid data_format 'NHWC': expected 'channels_last' or 'channels_first'}}
  %y = dwconv.depthwise_conv2d %x, %k data_format NHWC : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @unknown_activation(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{invalid activation 'prelu': expected one of linear, relu, relu6, leaky_relu, elu, selu, gelu, sigmoid, hard_sigmoid, hard_sigmoid_keras2, silu, hard_silu, mish, tanh, softplus, softsign, exponential, log_sigmoid, softmax, log_softmax, celu, hard_shrink, hard_tanh, soft_shrink, sparse_plus, sparse_sigmoid, squareplus, tanh_shrink, glu, sparsemax (aliases: swish, hard_swish)}}
  %y = dwconv.depthwise_conv2d %x, %k activation prelu : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @duplicate_keyword(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'strides' is given more than once}}
  %y = dwconv.depthwise_conv2d %x, %k strides [1, 1] padding same strides [2, 2] : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @too_few_operands(%x: tensor<1x8x8x4xf32>) {
  // expected-error @+1 {{expected 2 or 3 operands (input, depthwise_kernel[, bias]), got 1}}
  %y = dwconv.depthwise_conv2d %x : tensor<1x8x8x4xf32>
  return
}

// -----

func.func @type_count(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{expected 2 operand types, got 1}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>
  return
}

// -----

func.func @non_integer_strides(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{expected integer value}}
  %y = dwconv.depthwise_conv2d %x, %k strides [2.0, 2] : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @causal_generic(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // The generic form cannot name 'causal' either.
  // expected-error @+2 {{expected one of [valid, same, explicit] for Keras padding mode, got: causal}}
  // expected-error @+1 {{failed to parse DWConv_PaddingAttr parameter 'value'}}
  %y = "dwconv.depthwise_conv2d"(%x, %k) <{padding = #dwconv<padding causal>}> : (tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>) -> tensor<1x8x8x4xf32>
  return
}

// -----

func.func @unknown_activation_generic(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+2 {{expected one of [linear, relu, relu6, leaky_relu, elu, selu, gelu, sigmoid, hard_sigmoid, hard_sigmoid_keras2, silu, hard_silu, mish, tanh, softplus, softsign, exponential, log_sigmoid, softmax, log_softmax, celu, hard_shrink, hard_tanh, soft_shrink, sparse_plus, sparse_sigmoid, squareplus, tanh_shrink, glu, sparsemax] for Keras activation applied after the bias, got: swishy}}
  // expected-error @+1 {{failed to parse DWConv_ActivationAttr parameter 'value'}}
  %y = "dwconv.depthwise_conv2d"(%x, %k) <{activation = #dwconv<activation swishy>}> : (tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @explicit_keyword(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{invalid padding 'explicit': expected 'valid', 'same' or [top, bottom, left, right]}}
  %y = dwconv.depthwise_conv2d %x, %k padding explicit : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @unknown_param(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{unknown activation parameter 'alpha' (expected negative_slope, max_value or threshold)}}
  %y = dwconv.depthwise_conv2d %x, %k activation leaky_relu(alpha = 0.3) : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @param_twice(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'max_value' is given more than once}}
  %y = dwconv.depthwise_conv2d %x, %k activation relu(max_value = 1.0, max_value = 2.0) : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}
