// RUN: dwconv-opt %s | dwconv-opt | FileCheck %s
// RUN: dwconv-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// Every activation prints under its own name; linear is the default and elided.

// CHECK-LABEL: func.func @linear(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same : tensor
// GENERIC: activation = #dwconv<activation linear>
func.func @linear(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation linear : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @relu(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation relu : tensor
// GENERIC: activation = #dwconv<activation relu>
func.func @relu(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation relu : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @relu6(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation relu6 : tensor
// GENERIC: activation = #dwconv<activation relu6>
func.func @relu6(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation relu6 : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @leaky_relu(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation leaky_relu : tensor
// GENERIC: activation = #dwconv<activation leaky_relu>
func.func @leaky_relu(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation leaky_relu : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @elu(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation elu : tensor
// GENERIC: activation = #dwconv<activation elu>
func.func @elu(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation elu : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @selu(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation selu : tensor
// GENERIC: activation = #dwconv<activation selu>
func.func @selu(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation selu : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @gelu(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation gelu : tensor
// GENERIC: activation = #dwconv<activation gelu>
func.func @gelu(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation gelu : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @sigmoid(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation sigmoid : tensor
// GENERIC: activation = #dwconv<activation sigmoid>
func.func @sigmoid(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation sigmoid : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @hard_sigmoid(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation hard_sigmoid : tensor
// GENERIC: activation = #dwconv<activation hard_sigmoid>
func.func @hard_sigmoid(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation hard_sigmoid : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @hard_sigmoid_keras2(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation hard_sigmoid_keras2 : tensor
// GENERIC: activation = #dwconv<activation hard_sigmoid_keras2>
func.func @hard_sigmoid_keras2(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation hard_sigmoid_keras2 : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @silu(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation silu : tensor
// GENERIC: activation = #dwconv<activation silu>
func.func @silu(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation silu : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @hard_silu(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation hard_silu : tensor
// GENERIC: activation = #dwconv<activation hard_silu>
func.func @hard_silu(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation hard_silu : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @mish(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation mish : tensor
// GENERIC: activation = #dwconv<activation mish>
func.func @mish(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation mish : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @tanh(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation tanh : tensor
// GENERIC: activation = #dwconv<activation tanh>
func.func @tanh(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation tanh : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @softplus(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation softplus : tensor
// GENERIC: activation = #dwconv<activation softplus>
func.func @softplus(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation softplus : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @softsign(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation softsign : tensor
// GENERIC: activation = #dwconv<activation softsign>
func.func @softsign(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation softsign : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @exponential(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation exponential : tensor
// GENERIC: activation = #dwconv<activation exponential>
func.func @exponential(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation exponential : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @log_sigmoid(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation log_sigmoid : tensor
// GENERIC: activation = #dwconv<activation log_sigmoid>
func.func @log_sigmoid(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation log_sigmoid : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @softmax(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation softmax : tensor
// GENERIC: activation = #dwconv<activation softmax>
func.func @softmax(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation softmax : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @log_softmax(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation log_softmax : tensor
// GENERIC: activation = #dwconv<activation log_softmax>
func.func @log_softmax(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation log_softmax : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}

// CHECK-LABEL: func.func @glu(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation glu : tensor
// GENERIC: activation = #dwconv<activation glu>
func.func @glu(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x1xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation glu : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x1xf32>
  return %y : tensor<1x5x5x1xf32>
}

// CHECK-LABEL: func.func @sparsemax(
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation sparsemax : tensor
// GENERIC: activation = #dwconv<activation sparsemax>
func.func @sparsemax(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x5x5x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation sparsemax : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x5x5x2xf32>
  return %y : tensor<1x5x5x2xf32>
}
