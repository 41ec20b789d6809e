// RUN: dwconv-opt %s --dwconv-cpu-plan-workspace -verify-diagnostics

// A temporary that grows with a dynamic input dim has no room of constant
// size in a worker's workspace: the layer is refused, by name.
func.func private @kernel(%in: memref<?x8xf32>) attributes {dwconv.layer = {name = "wide"}} {
  %c0 = arith.constant 0 : index
  %n = memref.dim %in, %c0 : memref<?x8xf32>
  // expected-error @+1 {{layer 'wide': a tile needs a temporary buffer ('memref<?x8xf32>') whose size grows with a dynamic input dim; compile the layer for static input dims}}
  %a = memref.alloc(%n) : memref<?x8xf32>
  return
}
