// RUN: dwconv-opt %s -split-input-file -verify-diagnostics

// One case per verifier rule of dwconv.depthwise_conv2d.

func.func @input_rank(%x: tensor<8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'input' must be a rank-4 tensor (N, H, W, C), got 'tensor<8x8x4xf32>'}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @input_rank_channels_first(%x: tensor<1x1x4x8x8xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'input' must be a rank-4 tensor (N, C, H, W), got 'tensor<1x1x4x8x8xf32>'}}
  %y = dwconv.depthwise_conv2d %x, %k data_format channels_first : tensor<1x1x4x8x8xf32>, tensor<3x3x4x1xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @kernel_rank(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4xf32>) {
  // expected-error @+1 {{'depthwise_kernel' must be a rank-4 tensor (kh, kw, C, M), got 'tensor<3x3x4xf32>'}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4xf32> -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @bias_rank(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>, %b: tensor<1x4xf32>) {
  // expected-error @+1 {{'bias' must be a rank-1 tensor (C * M), got 'tensor<1x4xf32>'}}
  %y = dwconv.depthwise_conv2d %x, %k, %b : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>, tensor<1x4xf32> -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @result_rank(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{result must be a rank-4 tensor (N, H, W, C), got 'tensor<6x6x4xf32>'}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<6x6x4xf32>
  return
}

// -----

func.func @kernel_element_type(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf16>) {
  // expected-error @+1 {{element type mismatch: 'depthwise_kernel' has 'f16' but 'input' has 'f32'}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf16> -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @bias_element_type(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>, %b: tensor<4xi32>) {
  // expected-error @+1 {{element type mismatch: 'bias' has 'i32' but 'input' has 'f32'}}
  %y = dwconv.depthwise_conv2d %x, %k, %b : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>, tensor<4xi32> -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @result_element_type(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{element type mismatch: the result has 'f16' but 'input' has 'f32'}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<1x6x6x4xf16>
  return
}

// -----

func.func @unsupported_element_type(%x: tensor<1x8x8x4xf16>, %k: tensor<3x3x4x1xf16>) {
  // expected-error @+1 {{element type 'f16' is not supported (supported: f32)}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf16>, tensor<3x3x4x1xf16> -> tensor<1x6x6x4xf16>
  return
}

// -----

func.func @strides_count(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'strides' must have 2 values (height, width), got 3}}
  %y = dwconv.depthwise_conv2d %x, %k strides [1, 1, 1] : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @strides_positive(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'strides' must be positive, got [0, 1]}}
  %y = dwconv.depthwise_conv2d %x, %k strides [0, 1] : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @dilation_count(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'dilation_rate' must have 2 values (height, width), got 1}}
  %y = "dwconv.depthwise_conv2d"(%x, %k) <{dilation_rate = array<i64: 2>}> : (tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @dilation_positive(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'dilation_rate' must be positive, got [1, -2]}}
  %y = dwconv.depthwise_conv2d %x, %k dilation_rate [1, -2] : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @kernel_dynamic_size(%x: tensor<1x8x8x4xf32>, %k: tensor<?x3x4x1xf32>) {
  // expected-error @+1 {{'depthwise_kernel' must have a static positive kernel size (kh, kw) and depth multiplier (M), and C > 0, got 'tensor<?x3x4x1xf32>'}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<?x3x4x1xf32> -> tensor<1x?x6x4xf32>
  return
}

// -----

func.func @channel_mismatch(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x8x1xf32>) {
  // expected-error @+1 {{'depthwise_kernel' has 8 channels (dim 2 of (kh, kw, C, M)) but 'input' has 4 (dim 3 of (N, H, W, C))}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x8x1xf32> -> tensor<1x6x6x8xf32>
  return
}

// -----

func.func @bias_length(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x2xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'bias' has 4 elements, expected C * M = 4 * 2 = 8}}
  %y = dwconv.depthwise_conv2d %x, %k, %b : tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>, tensor<4xf32> -> tensor<1x6x6x8xf32>
  return
}

// -----

func.func @empty_output_valid(%x: tensor<1x4x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'valid' padding gives an empty output: the input height (4) is smaller than the dilated kernel height (k - 1) * dilation + 1 = 5}}
  %y = dwconv.depthwise_conv2d %x, %k dilation_rate [2, 2] : tensor<1x4x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @empty_input(%x: tensor<1x8x0x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{input width is 0, which gives an empty output}}
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x8x0x4xf32>, tensor<3x3x4x1xf32> -> tensor<1x8x0x4xf32>
  return
}

// -----

func.func @result_contradicts_inferred(%x: tensor<1x13x14x4xf32>, %k: tensor<3x3x4x2xf32>) {
  // expected-error @+1 {{result type 'tensor<1x6x7x8xf32>' contradicts the inferred type 'tensor<1x7x7x8xf32>' in dim 1 (height): expected 7, got 6}}
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] padding same : tensor<1x13x14x4xf32>, tensor<3x3x4x2xf32> -> tensor<1x6x7x8xf32>
  return
}

// -----

func.func @result_channels_contradict(%x: tensor<1x4x8x8xf32>, %k: tensor<3x3x4x2xf32>) {
  // expected-error @+1 {{result type 'tensor<1x4x6x6xf32>' contradicts the inferred type 'tensor<1x8x6x6xf32>' in dim 1 (channels): expected 8, got 4}}
  %y = dwconv.depthwise_conv2d %x, %k data_format channels_first : tensor<1x4x8x8xf32>, tensor<3x3x4x2xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @inferred_when_result_omitted(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x5x1xf32>) {
  // Without a result type the same rules run while parsing.
  // expected-error @+1 {{'depthwise_kernel' has 5 channels (dim 2 of (kh, kw, C, M)) but 'input' has 4 (dim 3 of (N, H, W, C))}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x5x1xf32>
  return
}

// -----

func.func @pads_count(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'pads' must have 4 values [top, bottom, left, right], got 2}}
  %y = dwconv.depthwise_conv2d %x, %k padding [1, 1] : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @pads_negative(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'pads' must be non-negative, got [1, -1, 0, 0]}}
  %y = dwconv.depthwise_conv2d %x, %k padding [1, -1, 0, 0] : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @pads_without_explicit(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'pads' is only for explicit padding}}
  %y = dwconv.depthwise_conv2d %x, %k padding same {pads = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<1x8x8x4xf32>
  return
}

// -----

func.func @pads_empty_output(%x: tensor<1x2x8x4xf32>, %k: tensor<5x3x4x1xf32>) {
  // expected-error @+1 {{the padded input height (2 + padding) is smaller than the dilated kernel height (k - 1) * dilation + 1 = 5: the output is empty}}
  %y = dwconv.depthwise_conv2d %x, %k padding [1, 1, 0, 0] : tensor<1x2x8x4xf32>, tensor<5x3x4x1xf32>
  return
}

// -----

func.func @dilation_overflow(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'dilation_rate' must be at most 2147483647, got [9223372036854775807, 1]}}
  %y = dwconv.depthwise_conv2d %x, %k dilation_rate [9223372036854775807, 1] padding same : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @pads_overflow(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'pads' must be at most 2147483647, got [0, 0, 9223372036854775807, 1]}}
  %y = dwconv.depthwise_conv2d %x, %k padding [0, 0, 9223372036854775807, 1] : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @param_not_taken(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{activation elu takes no parameter 'max_value' (relu takes negative_slope, max_value and threshold; leaky_relu negative_slope)}}
  %y = dwconv.depthwise_conv2d %x, %k activation elu(max_value = 1.0) : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @leaky_threshold(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{activation leaky_relu takes no parameter 'threshold'}}
  %y = dwconv.depthwise_conv2d %x, %k activation leaky_relu(threshold = 1.0) : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @param_negative(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{activation parameter 'max_value' must be finite and >= 0, got -1}}
  %y = dwconv.depthwise_conv2d %x, %k activation relu(max_value = -1.0) : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @window_limit(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{the dilated kernel width (k - 1) * dilation + 1 must be at most 2147483647, got (3 - 1) * 1073741824 + 1}}
  %y = dwconv.depthwise_conv2d %x, %k dilation_rate [1, 1073741824] padding same : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @dim_limit(%x: tensor<1x8x2147483648x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{'input' has a dim of 2147483648, above the limit 2147483647}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x2147483648x4xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @elements_limit(%x: tensor<2048x1024x1024x1024xf32>, %k: tensor<1x1x1024x1xf32>) {
  // expected-error @+1 {{'input' 'tensor<2048x1024x1024x1024xf32>' has more elements than the limit 1099511627776}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<2048x1024x1024x1024xf32>, tensor<1x1x1024x1xf32>
  return
}

// -----

func.func @glu_odd(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x3x1xf32>) {
  // expected-error @+1 {{activation 'glu' splits the last axis (channels) into halves: it must be even, got 3}}
  %y = dwconv.depthwise_conv2d %x, %k activation glu : tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32>
  return
}

// -----

func.func @glu_dynamic_width(%x: tensor<1x4x8x?xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{activation 'glu' splits the last axis (width) into halves: it must be static}}
  %y = dwconv.depthwise_conv2d %x, %k data_format channels_first activation glu : tensor<1x4x8x?xf32>, tensor<3x3x4x1xf32>
  return
}

// -----

func.func @glu_unhalved(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{result type 'tensor<1x6x6x4xf32>' contradicts the inferred type 'tensor<1x6x6x2xf32>' in dim 3 (channels): expected 2, got 4}}
  %y = dwconv.depthwise_conv2d %x, %k activation glu : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<1x6x6x4xf32>
  return
}
