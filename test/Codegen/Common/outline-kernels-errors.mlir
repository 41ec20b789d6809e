// RUN: dwconv-opt %s --dwconv-outline-kernels --split-input-file -verify-diagnostics

// What cannot be compiled into a kernel is refused, with the reason.

// expected-error @+1 {{is not a layer function: its arguments must be the operands (input, depthwise_kernel[, bias]) of one dwconv.depthwise_conv2d whose result it returns, or its input alone with the weights as arith.constant ops}}
func.func @swapped(%k: tensor<3x3x4x1xf32>, %x: tensor<1x8x8x4xf32>) -> tensor<1x6x6x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

func.func @dynamic_kernel(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x?x1xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{the kernel shape must be static to compile, got 'tensor<3x3x?x1xf32>'}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x?x1xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

func.func @dynamic_channels(%x: tensor<1x8x8x?xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+1 {{the input channel count must be static to compile, got 'tensor<1x8x8x?xf32>'}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x?xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

func.func @too_static(%x: tensor<?x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<2x6x6x4xf32> {
  // expected-error @+1 {{the result type 'tensor<2x6x6x4xf32>' is more static than the input implies ('tensor<?x6x6x4xf32>'); make the input static instead}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<?x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<2x6x6x4xf32>
  return %y : tensor<2x6x6x4xf32>
}

// -----

func.func @"a.b"(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x6x6x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x6x6x4xf32>
}
// expected-error @+1 {{and @a.b would both export symbols named 'dwconv_a_b_*' (or header macros of the same name in upper case); rename one}}
func.func @a_b(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x6x6x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

// expected-error @+1 {{the spec defines no layer function (a public func.func around one dwconv.depthwise_conv2d)}}
module {
  func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
    return %x : tensor<4xf32>
  }
}

// -----

// The header's macros are DWCONV_<NAME>_*: names equal but for case clash.
func.func @a(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x6x6x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x6x6x4xf32>
}
// expected-error @+1 {{and @a would both export symbols named 'dwconv_A_*' (or header macros of the same name in upper case); rename one}}
func.func @A(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x6x6x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x6x6x4xf32>
}
