// RUN: dwconv-opt %s --dwconv-memref-copy-to-linalg --split-input-file | FileCheck %s

// A copy between strided buffers becomes linalg.copy (loops later), so that
// generated code never calls MLIR's C runner library for it.
// CHECK-LABEL: func.func @strided
// CHECK-SAME: (%[[SRC:.*]]: memref<1x4x4xf32, strided<[40, 10, 1], offset: ?>>, %[[DST:.*]]: memref<1x4x4xf32>)
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%[[SRC]] : memref<1x4x4xf32, strided<[40, 10, 1], offset: ?>>) outs(%[[DST]] : memref<1x4x4xf32>)
func.func @strided(%src: memref<1x4x4xf32, strided<[40, 10, 1], offset: ?>>, %dst: memref<1x4x4xf32>) {
  memref.copy %src, %dst : memref<1x4x4xf32, strided<[40, 10, 1], offset: ?>> to memref<1x4x4xf32>
  return
}

// -----

// A copy between contiguous buffers stays memref.copy (a memcpy).
// CHECK-LABEL: func.func @contiguous
// CHECK: memref.copy %{{.*}}, %{{.*}} : memref<16xf32> to memref<16xf32>
// CHECK-NOT: linalg.copy
func.func @contiguous(%src: memref<16xf32>, %dst: memref<16xf32>) {
  memref.copy %src, %dst : memref<16xf32> to memref<16xf32>
  return
}
