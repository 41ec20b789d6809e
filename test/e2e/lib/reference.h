/*===- reference.h - scalar double reference of Keras DepthwiseConv2D -----===*
 *
 * Written from the Keras/TensorFlow definition, independently of the compiler:
 * it shares no code with it and computes in double precision.
 *
 *===----------------------------------------------------------------------===*/

#ifndef DWCONV_TEST_REFERENCE_H
#define DWCONV_TEST_REFERENCE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dwconv_ref_layer {
  int64_t batch, height, width, channels; /* input dims, whatever the layout */
  int64_t kernel_h, kernel_w, multiplier;
  int64_t stride_h, stride_w, dilation_h, dilation_w;
  int same_padding;
  int channels_first;
  int activation; /* Keras activation, numbered as in dwconv_activation_name */
  int has_bias;
  /* Explicit padding: pads (top, bottom, left, right) added, then 'valid'. */
  int explicit_padding;
  int64_t pads[4];
  /* Keras's relu parameters (relu: all; leaky_relu: the slope), used when
   * has_params; max_value < 0 means none. */
  int has_params;
  double negative_slope, max_value, threshold;
} dwconv_ref_layer;

/* Output height and width by TensorFlow's formula; <= 0 means empty. */
void dwconv_ref_output_size(const dwconv_ref_layer *layer, int64_t *out_h,
                            int64_t *out_w);

/* output[...] in the layer's layout (N, OH, OW, C*M) or (N, C*M, OH, OW),
 * with room for all of it: glu then leaves the first half, whose last axis
 * is half as long. `input` in the layer's layout, `kernel` (kh, kw, C, M),
 * `bias` (C*M). */
void dwconv_ref_compute(const dwconv_ref_layer *layer, const float *input,
                        const float *kernel, const float *bias, double *output);

/* A Keras activation applied to one value (not one over the last axis). */
double dwconv_ref_activation(int activation, double x);

/* Keras's relu(x, negative_slope, max_value, threshold); max_value < 0
 * means none. */
double dwconv_ref_keras_relu(double x, double negative_slope, double max_value,
                             double threshold);

#ifdef __cplusplus
}
#endif

#endif
