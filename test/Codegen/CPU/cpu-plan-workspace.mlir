// RUN: dwconv-opt %s --dwconv-cpu-plan-workspace --split-input-file | FileCheck %s

// Every allocation of a layer kernel becomes a view of a workspace argument
// appended to the function, at a constant offset; a buffer with dynamic dims
// gets the room of its constant upper bound (here the clamped tile sizes: at
// most 4 rows, 128 bytes; a window of at most max(4 + 6, 2) = 10 rows, 320
// bytes), each rounded up to 64 bytes (the 12 bytes of memref<3xf32> take 64).
// The total, 512, is what one worker needs.

#map = affine_map<(d0) -> (-d0 + 10, 4)>
#map1 = affine_map<(d0) -> (d0 + 6, 2)>
// CHECK-LABEL: func.func private @kernel
// CHECK-SAME: (%[[IN:.*]]: memref<1x16x8xf32>, %[[OUT:.*]]: memref<1x10x8xf32>, %[[WS:.*]]: memref<?xi8>)
// CHECK-SAME: dwconv.workspace_bytes = 512
// CHECK-NOT: memref.alloc
// CHECK: scf.forall (%[[I:.*]]) = (0) to (10) step (4)
// CHECK: %[[ROWS:.*]] = affine.min
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %[[WS]][%[[C0]]][%[[ROWS]]] : memref<?xi8> to memref<1x?x8xf32>
// CHECK: %[[WINDOW:.*]] = affine.max
// CHECK: %[[C128:.*]] = arith.constant 128 : index
// CHECK: %[[B:.*]] = memref.view %[[WS]][%[[C128]]][%[[WINDOW]]] : memref<?xi8> to memref<1x?x8xf32>
// CHECK: %[[C448:.*]] = arith.constant 448 : index
// CHECK: %[[C:.*]] = memref.view %[[WS]][%[[C448]]][] : memref<?xi8> to memref<3xf32>
// CHECK: linalg.copy ins(%[[A]] : {{.*}}) outs(%[[B]] :
// CHECK-NOT: memref.dealloc
func.func private @kernel(%in: memref<1x16x8xf32>, %out: memref<1x10x8xf32>) attributes {dwconv.layer = {}} {
  scf.forall (%i) = (0) to (10) step (4) {
    %rows = affine.min #map(%i)
    %a = memref.alloc(%rows) : memref<1x?x8xf32>
    %window = affine.max #map1(%rows)
    %b = memref.alloc(%window) : memref<1x?x8xf32>
    %c = memref.alloc() : memref<3xf32>
    linalg.copy ins(%a : memref<1x?x8xf32>) outs(%b : memref<1x?x8xf32>)
    memref.dealloc %a : memref<1x?x8xf32>
  }
  return
}

// -----

// The two branches of an scf.if never hold data at the same time: their
// buffers share room; what follows the scf.if goes after both.
// CHECK-LABEL: func.func private @branches
// CHECK-SAME: dwconv.workspace_bytes = 2048
// CHECK: scf.if
// CHECK: %[[A:.*]] = arith.constant 0 : index
// CHECK: memref.view %{{.*}}[%[[A]]][] : memref<?xi8> to memref<256xf32>
// CHECK: } else {
// CHECK: %[[B:.*]] = arith.constant 0 : index
// CHECK: memref.view %{{.*}}[%[[B]]][] : memref<?xi8> to memref<64xf32>
// CHECK: %[[D:.*]] = arith.constant 256 : index
// CHECK: memref.view %{{.*}}[%[[D]]][] : memref<?xi8> to memref<64xf32>
// CHECK: %[[E:.*]] = arith.constant 512 : index
// CHECK: memref.view %{{.*}}[%[[E]]][] : memref<?xi8> to memref<256xf32>
// CHECK: }
// CHECK: %[[F:.*]] = arith.constant 1536 : index
// CHECK: memref.view %{{.*}}[%[[F]]][] : memref<?xi8> to memref<128xf32>
func.func private @branches(%c: i1) attributes {dwconv.layer = {}} {
  %x = scf.if %c -> (memref<256xf32>) {
    %a = memref.alloc() : memref<256xf32>
    scf.yield %a : memref<256xf32>
  } else {
    %b = memref.alloc() : memref<64xf32>
    %d = memref.alloc() : memref<64xf32>
    %e = memref.alloc() : memref<256xf32>
    scf.yield %e : memref<256xf32>
  }
  %f = memref.alloc() : memref<128xf32>
  return
}

// -----

// A kernel with nothing to allocate needs no workspace.
// CHECK-LABEL: func.func private @nothing
// CHECK-SAME: (%{{.*}}: memref<4xf32>, %{{.*}}: memref<?xi8>)
// CHECK-SAME: dwconv.workspace_bytes = 0
func.func private @nothing(%out: memref<4xf32>) attributes {dwconv.layer = {}} {
  return
}

// -----

// Functions that are not layer kernels are left alone.
// CHECK-LABEL: func.func private @other
// CHECK-SAME: (%{{.*}}: index)
// CHECK: memref.alloc
func.func private @other(%n: index) {
  %a = memref.alloc(%n) : memref<?xf32>
  return
}
