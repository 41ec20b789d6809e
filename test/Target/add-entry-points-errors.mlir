// RUN: dwconv-opt %s --dwconv-add-entry-points -split-input-file -verify-diagnostics

// A layer record without its lowered kernel cannot be exported.
// expected-error @+1 {{layer 'lost': its kernel was not lowered}}
module {
  llvm.func @elsewhere() attributes {dwconv.layer = {activation = #dwconv<activation linear>, data_format = #dwconv<data_format channels_last>, dilation_rate = array<i64: 1, 1>, has_bias = false, input = tensor<1x8x8x4xf32>, kernel = tensor<3x3x4x1xf32>, name = "lost", output = tensor<1x6x6x4xf32>, padding = #dwconv<padding valid>, strides = array<i64: 1, 1>, weights_baked = true}}
}

// -----

// A malformed record is reported with the field.
module {
  // expected-error @+1 {{dwconv.layer: field 'input' is missing or malformed}}
  llvm.func @broken() attributes {dwconv.layer = {name = "broken", input = 3 : i64}}
}
