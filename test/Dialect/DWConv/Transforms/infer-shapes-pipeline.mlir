// RUN: dwconv-opt %s --pass-pipeline="builtin.module(dwconv-infer-shapes)" | FileCheck %s
// RUN: dwconv-opt %s --dwconv-infer-shapes --dwconv-infer-shapes | FileCheck %s

// The pass runs from a textual pipeline, and running it twice changes nothing
// more than running it once.

// CHECK-LABEL: func.func @nested
// CHECK-SAME: -> tensor<2x3x3x6xf32>
// CHECK: dwconv.depthwise_conv2d {{.*}} -> tensor<2x3x3x6xf32>
// CHECK-NOT: tensor.cast
module @outer {
  module @inner {
    func.func @nested(%x: tensor<2x5x5x3xf32>, %k: tensor<3x3x3x2xf32>) -> tensor<?x?x?x?xf32> {
      %y = dwconv.depthwise_conv2d %x, %k : tensor<2x5x5x3xf32>, tensor<3x3x3x2xf32> -> tensor<?x?x?x?xf32>
      return %y : tensor<?x?x?x?xf32>
    }
  }
}
