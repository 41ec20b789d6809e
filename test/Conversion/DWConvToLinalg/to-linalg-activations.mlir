// RUN: dwconv-opt %s --convert-dwconv-to-linalg --canonicalize --split-input-file | FileCheck %s

// The activations whose Keras formula is easy to get wrong, op by op.

// Keras 3 hard_sigmoid: relu6(x + 3) / 6.
// CHECK-LABEL: func.func @hard_sigmoid
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[THREE:.*]] = arith.constant 3.000000e+00 : f32
// CHECK-DAG: %[[SIX:.*]] = arith.constant 6.000000e+00 : f32
// CHECK: ^bb0(%[[X:.*]]: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[X]], %[[THREE]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.maximumf %[[S]], %[[ZERO]] : f32
// CHECK-NEXT: %[[R6:.*]] = arith.minimumf %[[R]], %[[SIX]] : f32
// CHECK-NEXT: %[[Y:.*]] = arith.divf %[[R6]], %[[SIX]] : f32
// CHECK-NEXT: linalg.yield %[[Y]]
func.func @hard_sigmoid(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation hard_sigmoid : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// tf.keras 2 hard_sigmoid: clip(0.2 * x + 0.5, 0, 1).
// CHECK-LABEL: func.func @hard_sigmoid_keras2
// CHECK-DAG: %[[FIFTH:.*]] = arith.constant 2.000000e-01 : f32
// CHECK-DAG: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: ^bb0(%[[X:.*]]: f32):
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[X]], %[[FIFTH]] : f32
// CHECK-NEXT: %[[A:.*]] = arith.addf %[[M]], %[[HALF]] : f32
// CHECK-NEXT: %[[L:.*]] = arith.maximumf %[[A]], %[[ZERO]] : f32
// CHECK-NEXT: %[[Y:.*]] = arith.minimumf %[[L]], %[[ONE]] : f32
// CHECK-NEXT: linalg.yield %[[Y]]
func.func @hard_sigmoid_keras2(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation hard_sigmoid_keras2 : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// Exact gelu: 0.5 * x * (1 + erf(x / sqrt(2))).
// CHECK-LABEL: func.func @gelu
// CHECK-DAG: %[[RSQRT2:.*]] = arith.constant 0.707106769 : f32
// CHECK: %[[E:.*]] = math.erf %{{.*}} : f32
// CHECK-NOT: math.tanh
// CHECK: linalg.yield
func.func @gelu(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation gelu : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// elu uses expm1, so values near 0 keep their precision.
// CHECK-LABEL: func.func @elu
// CHECK: ^bb0(%[[X:.*]]: f32):
// CHECK-DAG: %[[POS:.*]] = arith.cmpf ogt, %[[X]], %{{.*}} : f32
// CHECK-DAG: %[[NEG:.*]] = math.expm1 %[[X]] : f32
// CHECK: %[[Y:.*]] = arith.select %[[POS]], %[[X]], %[[NEG]] : f32
// CHECK-NEXT: linalg.yield %[[Y]]
func.func @elu(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation elu : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// softplus in its overflow-free form: max(x, 0) + log1p(exp(-|x|)).
// CHECK-LABEL: func.func @softplus
// CHECK: ^bb0(%[[X:.*]]: f32):
// CHECK-NEXT: %[[ABS:.*]] = math.absf %[[X]] : f32
// CHECK-NEXT: %[[NEG:.*]] = arith.negf %[[ABS]] : f32
// CHECK-NEXT: %[[EXP:.*]] = math.exp %[[NEG]] : f32
// CHECK-NEXT: %[[LOG:.*]] = math.log1p %[[EXP]] : f32
// CHECK-NEXT: %[[RELU:.*]] = arith.maximumf %[[X]], %{{.*}} : f32
// CHECK-NEXT: %[[Y:.*]] = arith.addf %[[RELU]], %[[LOG]] : f32
// CHECK-NEXT: linalg.yield %[[Y]]
func.func @softplus(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation softplus : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// Keras 3 leaky_relu: negative slope 0.2.
// CHECK-LABEL: func.func @leaky_relu
// CHECK-DAG: %[[SLOPE:.*]] = arith.constant 2.000000e-01 : f32
// CHECK: ^bb0(%[[X:.*]]: f32):
// CHECK-DAG: %[[NEG:.*]] = arith.mulf %[[X]], %[[SLOPE]] : f32
// CHECK-DAG: %[[POS:.*]] = arith.cmpf ogt, %[[X]], %{{.*}} : f32
// CHECK: arith.select %[[POS]], %[[X]], %[[NEG]] : f32
func.func @leaky_relu(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation leaky_relu : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// A LeakyReLU layer's slope.
// CHECK-LABEL: func.func @leaky_relu_slope
// CHECK-DAG: %[[SLOPE:.*]] = arith.constant 3.000000e-01 : f32
// CHECK: ^bb0(%[[X:.*]]: f32):
// CHECK-DAG: %[[NEG:.*]] = arith.mulf %[[X]], %[[SLOPE]] : f32
// CHECK: arith.select %{{.*}}, %[[X]], %[[NEG]] : f32
func.func @leaky_relu_slope(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation leaky_relu(negative_slope = 0.3) : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// Keras's relu(x, negative_slope, max_value, threshold), step by step:
// x > t ? x : 0, clipped to [0, max], minus s * max(t - x, 0).
// CHECK-LABEL: func.func @relu_params
// CHECK-DAG: %[[T:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[MAX:.*]] = arith.constant 4.000000e+00 : f32
// CHECK-DAG: %[[S:.*]] = arith.constant 1.000000e-01 : f32
// CHECK: ^bb0(%[[X:.*]]: f32):
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[X]], %[[T]] : f32
// CHECK: %[[KEPT:.*]] = arith.select %[[GT]], %[[X]], %[[ZERO]] : f32
// CHECK: %[[LO:.*]] = arith.maximumf %[[KEPT]], %[[ZERO]] : f32
// CHECK: %[[CLIP:.*]] = arith.minimumf %[[LO]], %[[MAX]] : f32
// CHECK: %[[NX:.*]] = arith.negf %[[X]] : f32
// CHECK: %[[SH:.*]] = arith.addf %[[NX]], %[[T]] : f32
// CHECK: %[[NP:.*]] = arith.maximumf %[[SH]], %[[ZERO]] : f32
// CHECK: %[[SC:.*]] = arith.mulf %[[NP]], %[[S]] : f32
// CHECK: arith.subf %[[CLIP]], %[[SC]] : f32
func.func @relu_params(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation relu(negative_slope = 0.1, max_value = 4.0, threshold = 0.5) : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}
