// RUN: dwconv-opt %s --split-input-file --dwconv-cpu-approximate-math | FileCheck %s

// exp on a vector becomes arithmetic on that vector: range reduction by
// ln 2, a polynomial, and 2^k built in the exponent bits. No call remains.
// CHECK-LABEL: func.func @vector_exp
// CHECK-SAME: (%[[X:.*]]: vector<16xf32>)
// CHECK-NOT: math.exp
// CHECK-DAG: arith.constant dense<1.44269502> : vector<16xf32>
// CHECK-DAG: llvm.intr.floor(%{{.*}}) : (vector<16xf32>) -> vector<16xf32>
// CHECK-DAG: vector.fma %{{.*}} : vector<16xf32>
// CHECK-DAG: arith.shli %{{.*}} : vector<16xi32>
// CHECK-DAG: arith.bitcast %{{.*}} : vector<16xi32> to vector<16xf32>
// CHECK-NOT: math.exp
// CHECK-NOT: math.fma
// CHECK-NOT: math.floor
// CHECK: return
func.func @vector_exp(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = math.exp %x : vector<16xf32>
  return %0 : vector<16xf32>
}

// -----

// Scalars (the loop path) and other functions keep their op: libm computes
// them later.
// CHECK-LABEL: func.func @scalar_exp
// CHECK: math.exp %{{.*}} : f32
// CHECK: math.tanh %{{.*}} : vector<8xf32>
func.func @scalar_exp(%x: f32, %y: vector<8xf32>) -> (f32, vector<8xf32>) {
  %0 = math.exp %x : f32
  %1 = math.tanh %y : vector<8xf32>
  return %0, %1 : f32, vector<8xf32>
}
