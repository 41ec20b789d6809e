// RUN: dwconv-opt %s --dwconv-cpu-distribute-tiles --canonicalize | FileCheck %s

// The loop over all tiles becomes a loop over the tile indices [begin, end)
// the caller gives, each delinearized row-major over the forall's grid
// (here ? x 3 tiles: (t / 3, t mod 3)), so that any split of the indices
// computes every tile exactly once, as the forall did.

// CHECK-LABEL: func.func private @kernel
// CHECK-SAME: (%[[OUT:.*]]: memref<?x7x5xf32>, %{{.*}}: memref<?xi8>, %[[BEGIN:.*]]: index, %[[END:.*]]: index)
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NOT: scf.forall
// CHECK: scf.for %[[T:.*]] = %[[BEGIN]] to %[[END]] step %[[C1]]
// CHECK-NEXT: %[[COL:.*]] = arith.remui %[[T]], %[[C3]]
// CHECK-NEXT: %[[ROW:.*]] = arith.divui %[[T]], %[[C3]]
// CHECK-NEXT: %[[J:.*]] = arith.muli %[[COL]], %[[C3]]
// CHECK-NEXT: memref.store %{{.*}}, %[[OUT]][%[[ROW]], %[[J]], %{{.*}}]

// Without a tile loop the kernel is one tile: tile 0.
// CHECK-LABEL: func.func private @one_tile
// CHECK-SAME: (%{{.*}}: memref<4xf32>, %{{.*}}: memref<?xi8>, %[[BEGIN:.*]]: index, %[[END:.*]]: index)
// CHECK: %[[UPPER:.*]] = arith.minsi %[[END]], %{{.*}}
// CHECK: scf.for %{{.*}} = %[[BEGIN]] to %[[UPPER]]
// CHECK-NEXT: memref.store
func.func private @kernel(%out: memref<?x7x5xf32>, %ws: memref<?xi8>) attributes {dwconv.layer = {}} {
  %c0 = arith.constant 0 : index
  %cst = arith.constant 1.0 : f32
  %n = memref.dim %out, %c0 : memref<?x7x5xf32>
  scf.forall (%i, %j) = (0, 0) to (%n, 7) step (1, 3) {
    memref.store %cst, %out[%i, %j, %c0] : memref<?x7x5xf32>
  }
  return
}
func.func private @one_tile(%out: memref<4xf32>, %ws: memref<?xi8>) attributes {dwconv.layer = {}} {
  %c0 = arith.constant 0 : index
  %cst = arith.constant 1.0 : f32
  memref.store %cst, %out[%c0] : memref<4xf32>
  return
}
