// A public function that is not a layer function and holds no dwconv op to
// make one of (functions of several layers get one per op instead).
func.func @identity(%x: tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32> {
  return %x : tensor<1x8x8x4xf32>
}
