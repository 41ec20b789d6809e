// RUN: dwconv-opt %s --dwconv-infer-shapes --split-input-file | FileCheck %s

// Users that must keep the old type get it back through one tensor.cast.

func.func private @consume(tensor<?x?x?x?xf32>)

// CHECK-LABEL: func.func @call_user
// CHECK: %[[Y:.*]] = dwconv.depthwise_conv2d {{.*}} -> tensor<1x7x7x8xf32>
// CHECK: %[[CAST:.*]] = tensor.cast %[[Y]] : tensor<1x7x7x8xf32> to tensor<?x?x?x?xf32>
// CHECK: call @consume(%[[CAST]])
// CHECK: call @consume(%[[CAST]])
// CHECK: return %[[Y]] : tensor<1x7x7x8xf32>
func.func @call_user(%x: tensor<1x13x14x4xf32>, %k: tensor<3x3x4x2xf32>) -> tensor<?x?x?x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] padding same : tensor<1x13x14x4xf32>, tensor<3x3x4x2xf32> -> tensor<?x?x?x?xf32>
  call @consume(%y) : (tensor<?x?x?x?xf32>) -> ()
  call @consume(%y) : (tensor<?x?x?x?xf32>) -> ()
  return %y : tensor<?x?x?x?xf32>
}

// -----

// A value yielded from a region keeps the region's result type.
// CHECK-LABEL: func.func @yield_user
// CHECK: scf.if
// CHECK: %[[Y:.*]] = dwconv.depthwise_conv2d {{.*}} -> tensor<1x6x6x4xf32>
// CHECK: %[[CAST:.*]] = tensor.cast %[[Y]] : tensor<1x6x6x4xf32> to tensor<?x6x6x4xf32>
// CHECK: scf.yield %[[CAST]] : tensor<?x6x6x4xf32>
func.func @yield_user(%c: i1, %x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>, %e: tensor<?x6x6x4xf32>) -> tensor<?x6x6x4xf32> {
  %r = scf.if %c -> tensor<?x6x6x4xf32> {
    %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<?x6x6x4xf32>
    scf.yield %y : tensor<?x6x6x4xf32>
  } else {
    scf.yield %e : tensor<?x6x6x4xf32>
  }
  return %r : tensor<?x6x6x4xf32>
}

// -----

// Returns that refine differently meet at the most static common type.
// CHECK-LABEL: func.func @two_returns
// CHECK-SAME: -> tensor<1x?x6x4xf32>
// CHECK: dwconv.depthwise_conv2d {{.*}} -> tensor<1x6x6x4xf32>
// CHECK: tensor.cast %{{.*}} : tensor<1x6x6x4xf32> to tensor<1x?x6x4xf32>
// CHECK: dwconv.depthwise_conv2d {{.*}} -> tensor<1x4x6x4xf32>
// CHECK: tensor.cast %{{.*}} : tensor<1x4x6x4xf32> to tensor<1x?x6x4xf32>
func.func @two_returns(%c: i1, %x: tensor<1x8x8x4xf32>, %x2: tensor<1x6x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<?x?x?x?xf32> {
  cf.cond_br %c, ^a, ^b
^a:
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
^b:
  %z = dwconv.depthwise_conv2d %x2, %k : tensor<1x6x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<?x?x?x?xf32>
  return %z : tensor<?x?x?x?xf32>
}
