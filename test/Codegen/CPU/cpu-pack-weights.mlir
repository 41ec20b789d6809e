// RUN: dwconv-opt %s --dwconv-outline-kernels --dwconv-cpu-pack-weights | FileCheck %s

// Kernel and bias given at run time become one packed buffer: the bias at 0,
// the kernel in (kh, kw, C * M) order at the next 64-byte boundary, the
// whole a multiple of 64 bytes. The kernel reads views of it, and a pack
// function writes it from Keras's kernel and bias.

// CHECK-LABEL: func.func private @dwconv_kernel.layer
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x4xf32>, %[[P:.*]]: tensor<96xf32>, %[[OUT:.*]]: tensor<1x6x6x8xf32> {bufferization.writable = true})
// CHECK-SAME: dwconv.packed_weights_bytes = 384
// CHECK-DAG: %[[KFLAT:.*]] = tensor.extract_slice %[[P]][16] [72] [1]
// CHECK-DAG: %[[K:.*]] = tensor.expand_shape %[[KFLAT]] {{\[\[}}0, 1, 2, 3]] output_shape [3, 3, 4, 2]
// CHECK-DAG: %[[B:.*]] = tensor.extract_slice %[[P]][0] [8] [1]
// CHECK: dwconv.depthwise_conv2d %[[X]], %[[K]], %[[B]]

// CHECK-LABEL: func.func private @dwconv_pack.layer
// CHECK-SAME: (%[[KERNEL:.*]]: tensor<3x3x4x2xf32>, %[[BIAS:.*]]: tensor<8xf32>, %[[PACKED:.*]]: tensor<96xf32> {bufferization.writable = true}) -> tensor<96xf32>
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} outs(%[[PACKED]] : tensor<96xf32>)
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[KERNEL]]
// CHECK: %[[WITHK:.*]] = tensor.insert_slice %[[FLAT]] into %[[ZERO]][16] [72] [1]
// CHECK: %[[WITHB:.*]] = tensor.insert_slice %[[BIAS]] into %[[WITHK]][0] [8] [1]
// CHECK: bufferization.materialize_in_destination %[[WITHB]] in %[[PACKED]]

// Without a bias the kernel starts at 0.
// CHECK-LABEL: func.func private @dwconv_kernel.no_bias
// CHECK-SAME: %{{.*}}: tensor<48xf32>
// CHECK-SAME: dwconv.packed_weights_bytes = 192
// CHECK: tensor.extract_slice %{{.*}}[0] [36] [1]
// CHECK-LABEL: func.func private @dwconv_pack.no_bias
// CHECK-SAME: (%{{.*}}: tensor<3x3x4x1xf32>, %{{.*}}: tensor<48xf32> {bufferization.writable = true})

// Baked weights are packed at compile time into a constant of the same
// layout; there is nothing to pack at run time.
// CHECK-LABEL: func.func private @dwconv_kernel.baked
// CHECK-SAME: (%{{.*}}: tensor<1x4x4x2xf32>, %{{.*}}: tensor<1x2x2x2xf32> {bufferization.writable = true})
// CHECK-SAME: dwconv.packed_weights_bytes = 0
// CHECK: %[[C:.*]] = arith.constant dense<[-1.000000e+00, -2.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00, 9.000000e+00, 1.000000e+01, 1.100000e+01, 1.200000e+01, 1.300000e+01, 1.400000e+01, 1.500000e+01, 1.600000e+01, 1.700000e+01, 1.800000e+01, 0.000000e+00, {{.*}}]> : tensor<48xf32>
// CHECK: tensor.extract_slice %[[C]][16] [18] [1]
// CHECK: tensor.extract_slice %[[C]][0] [2] [1]
// CHECK-NOT: func.func private @dwconv_pack.baked

// C * M = 512 floats (2 KiB) per tap: a cache line (16 floats) between
// taps, so that the taps of a channel block do not share one L1 set. The
// kernel at 512, tap t at 512 + 528 t; 512 + 9 * 528 = 5264 floats.
// CHECK-LABEL: func.func private @dwconv_kernel.wide
// CHECK-SAME: %[[P:[a-z0-9]+]]: tensor<5264xf32>
// CHECK-SAME: dwconv.packed_weights_bytes = 21056
// CHECK: %[[FLAT:.*]] = tensor.extract_slice %[[P]][512] [4752] [1]
// CHECK: %[[ROWS:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [9, 528]
// CHECK: %[[TAPS:.*]] = tensor.extract_slice %[[ROWS]][0, 0] [9, 512] [1, 1]
// CHECK: tensor.expand_shape %[[TAPS]] {{\[\[}}0, 1], [2, 3]] output_shape [3, 3, 128, 4]
// CHECK-LABEL: func.func private @dwconv_pack.wide
// CHECK: %[[KROWS:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2, 3]] : tensor<3x3x128x4xf32> into tensor<9x512xf32>
// CHECK: %[[TAP0:.*]] = tensor.extract_slice %[[KROWS]][0, 0] [1, 512] [1, 1]
// CHECK: tensor.insert_slice %[[TAP0]] into %{{.*}}[512] [512] [1]
// CHECK: %[[TAP1:.*]] = tensor.extract_slice %[[KROWS]][1, 0] [1, 512] [1, 1]
// CHECK: tensor.insert_slice %[[TAP1]] into %{{.*}}[1040] [512] [1]
// CHECK: %[[TAP8:.*]] = tensor.extract_slice %[[KROWS]][8, 0] [1, 512] [1, 1]
// CHECK: tensor.insert_slice %[[TAP8]] into %{{.*}}[4736] [512] [1]
func.func @layer(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x2xf32>, %b: tensor<8xf32>) -> tensor<1x6x6x8xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b : tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>, tensor<8xf32>
  return %y : tensor<1x6x6x8xf32>
}
func.func @no_bias(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x6x6x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x6x6x4xf32>
}
func.func @baked(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x2xf32> {
  %k = arith.constant dense<[[[[1.0], [2.0]], [[3.0], [4.0]], [[5.0], [6.0]]], [[[7.0], [8.0]], [[9.0], [10.0]], [[11.0], [12.0]]], [[[13.0], [14.0]], [[15.0], [16.0]], [[17.0], [18.0]]]]> : tensor<3x3x2x1xf32>
  %b = arith.constant dense<[-1.0, -2.0]> : tensor<2xf32>
  %y = dwconv.depthwise_conv2d %x, %k, %b : tensor<1x4x4x2xf32>, tensor<3x3x2x1xf32>, tensor<2xf32>
  return %y : tensor<1x2x2x2xf32>
}
func.func @wide(%x: tensor<1x4x4x128xf32>, %k: tensor<3x3x128x4xf32>, %b: tensor<512xf32>) -> tensor<1x2x2x512xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b : tensor<1x4x4x128xf32>, tensor<3x3x128x4xf32>, tensor<512xf32>
  return %y : tensor<1x2x2x512xf32>
}
