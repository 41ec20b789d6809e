// RUN: dwconv-opt %s -split-input-file -verify-diagnostics

// Malformed generic-form ops are diagnosed, never crash.

func.func @unranked_input(%x: tensor<*xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of any type values, but got 'tensor<*xf32>'}}
  %y = "dwconv.depthwise_conv2d"(%x, %k) : (tensor<*xf32>, tensor<3x3x4x1xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @too_many_operands(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operand group starting at #2 requires 0 or 1 element, but found 2}}
  %y = "dwconv.depthwise_conv2d"(%x, %k, %b, %b) : (tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @strides_wrong_attribute_kind(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{Invalid attribute `strides` in property conversion}}
  %y = "dwconv.depthwise_conv2d"(%x, %k) <{strides = [2, 2]}> : (tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @padding_wrong_attribute_kind(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{Invalid attribute `padding` in property conversion}}
  %y = "dwconv.depthwise_conv2d"(%x, %k) <{padding = "same"}> : (tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>) -> tensor<1x8x8x4xf32>
  return
}

// -----

func.func @unranked_result(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of any type values, but got 'tensor<*xf32>'}}
  %y = "dwconv.depthwise_conv2d"(%x, %k) : (tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @memref_input(%x: memref<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of any type values, but got 'memref<1x8x8x4xf32>'}}
  %y = "dwconv.depthwise_conv2d"(%x, %k) : (memref<1x8x8x4xf32>, tensor<3x3x4x1xf32>) -> tensor<1x6x6x4xf32>
  return
}
