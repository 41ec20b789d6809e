/*===- reference.c - scalar double reference of Keras DepthwiseConv2D -----===*/

#include "reference.h"

#include <math.h>
#include <stdlib.h>

enum {
  LINEAR,
  RELU,
  RELU6,
  LEAKY_RELU,
  ELU,
  SELU,
  GELU,
  SIGMOID,
  HARD_SIGMOID,
  HARD_SIGMOID_KERAS2,
  SILU,
  HARD_SILU,
  MISH,
  TANH,
  SOFTPLUS,
  SOFTSIGN,
  EXPONENTIAL,
  LOG_SIGMOID,
  SOFTMAX,
  LOG_SOFTMAX,
  CELU,
  HARD_SHRINK,
  HARD_TANH,
  SOFT_SHRINK,
  SPARSE_PLUS,
  SPARSE_SIGMOID,
  SQUAREPLUS,
  TANH_SHRINK,
  GLU,
  SPARSEMAX
};

/* keras/src/ops/operation_utils.py: floor((in - d*(k-1) - 1) / s) + 1 for
 * 'valid', floor((in - 1) / s) + 1 for 'same'. */
static int64_t out_size(int64_t in, int64_t k, int64_t s, int64_t d, int same) {
  int64_t numerator = same ? in - 1 : in - d * (k - 1) - 1;
  if (numerator < 0)
    return 0;
  return numerator / s + 1;
}

void dwconv_ref_output_size(const dwconv_ref_layer *l, int64_t *out_h,
                            int64_t *out_w) {
  int64_t extra_h = l->explicit_padding ? l->pads[0] + l->pads[1] : 0;
  int64_t extra_w = l->explicit_padding ? l->pads[2] + l->pads[3] : 0;
  *out_h = out_size(l->height + extra_h, l->kernel_h, l->stride_h,
                    l->dilation_h, l->same_padding);
  *out_w = out_size(l->width + extra_w, l->kernel_w, l->stride_w, l->dilation_w,
                    l->same_padding);
}

/* TensorFlow's SAME padding: the extra pixel goes after. */
static int64_t pad_before(int64_t in, int64_t out, int64_t k, int64_t s,
                          int64_t d) {
  int64_t total = (out - 1) * s + (k - 1) * d + 1 - in;
  return total > 0 ? total / 2 : 0;
}

static double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }
static double softplus(double x) { return log1p(exp(-fabs(x))) + fmax(x, 0.0); }
static double relu6(double x) { return fmin(fmax(x, 0.0), 6.0); }

/* Keras's definition (keras.activations.relu): threshold, clip, then the
 * negative part scaled by the slope. */
double dwconv_ref_keras_relu(double x, double negative_slope, double max_value,
                             double threshold) {
  double y;
  if (negative_slope != 0.0 && max_value < 0.0 && threshold == 0.0)
    return x > 0.0 ? x : negative_slope * x;
  y = threshold != 0.0 ? (x > threshold ? x : 0.0) : fmax(x, 0.0);
  if (max_value >= 0.0)
    y = fmin(fmax(y, 0.0), max_value);
  return y - negative_slope * fmax(threshold - x, 0.0);
}

double dwconv_ref_activation(int activation, double x) {
  switch (activation) {
  case RELU:
    return fmax(x, 0.0);
  case RELU6:
    return relu6(x);
  case LEAKY_RELU:
    return x > 0 ? x : 0.2 * x;
  case ELU:
    return x > 0 ? x : expm1(x);
  case SELU:
    return 1.0507009873554804934193349852946 *
           (x > 0 ? x : 1.6732632423543772848170429916717 * expm1(x));
  case GELU:
    return 0.5 * x * (1.0 + erf(x / sqrt(2.0)));
  case SIGMOID:
    return sigmoid(x);
  case HARD_SIGMOID:
    return relu6(x + 3.0) / 6.0;
  case HARD_SIGMOID_KERAS2:
    return fmin(fmax(0.2 * x + 0.5, 0.0), 1.0);
  case SILU:
    return x * sigmoid(x);
  case HARD_SILU:
    return x * relu6(x + 3.0) / 6.0;
  case MISH:
    return x * tanh(softplus(x));
  case TANH:
    return tanh(x);
  case SOFTPLUS:
    return softplus(x);
  case SOFTSIGN:
    return x / (1.0 + fabs(x));
  case EXPONENTIAL:
    return exp(x);
  case LOG_SIGMOID:
    return -softplus(-x);
  case CELU:
    return fmax(x, 0.0) + expm1(fmin(x, 0.0));
  case HARD_SHRINK:
    return fabs(x) > 0.5 ? x : 0.0;
  case HARD_TANH:
    return fmin(fmax(x, -1.0), 1.0);
  case SOFT_SHRINK:
    return x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0.0;
  case SPARSE_PLUS:
    return x <= -1.0 ? 0.0 : x < 1.0 ? (x + 1.0) * (x + 1.0) / 4.0 : x;
  case SPARSE_SIGMOID:
    return x <= -1.0 ? 0.0 : x >= 1.0 ? 1.0 : 0.5 * (x + 1.0);
  case SQUAREPLUS:
    return (x + sqrt(x * x + 4.0)) / 2.0;
  case TANH_SHRINK:
    return x - tanh(x);
  default:
    return x;
  }
}

static void softmax_row(double *row, int64_t n, int logarithmic) {
  double max = -INFINITY, sum = 0.0;
  for (int64_t i = 0; i < n; ++i)
    max = fmax(max, row[i]);
  for (int64_t i = 0; i < n; ++i)
    sum += exp(row[i] - max);
  for (int64_t i = 0; i < n; ++i)
    row[i] = logarithmic ? row[i] - max - log(sum) : exp(row[i] - max) / sum;
}

static int descending(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? 1 : (x > y ? -1 : 0);
}

/* Keras's sparsemax, written as keras/src/backend/numpy/nn.py computes it:
 * sort descending, cumulative sums S, support z - (S - 1) / r > 0, tau =
 * (sum of S over the support - 1) / k. */
static void sparsemax_row(double *row, int64_t n) {
  double *sorted = malloc((size_t)n * sizeof(double));
  double cumsum = 0.0, total = 0.0, k = 0.0;
  if (!sorted)
    abort();
  for (int64_t i = 0; i < n; ++i)
    sorted[i] = row[i];
  qsort(sorted, (size_t)n, sizeof(double), descending);
  for (int64_t i = 0; i < n; ++i) {
    cumsum += sorted[i];
    if (sorted[i] - (cumsum - 1.0) / (double)(i + 1) > 0.0) {
      k += 1.0;
      total += cumsum;
    }
  }
  for (int64_t i = 0; i < n; ++i)
    row[i] = fmax(row[i] - (total - 1.0) / k, 0.0);
  free(sorted);
}

void dwconv_ref_compute(const dwconv_ref_layer *l, const float *input,
                        const float *kernel, const float *bias,
                        double *output) {
  int64_t oh, ow;
  dwconv_ref_output_size(l, &oh, &ow);
  int64_t H = l->height, W = l->width, C = l->channels, M = l->multiplier;
  int64_t top = l->same_padding
                    ? pad_before(H, oh, l->kernel_h, l->stride_h, l->dilation_h)
                    : 0;
  int64_t left = l->same_padding ? pad_before(W, ow, l->kernel_w, l->stride_w,
                                              l->dilation_w)
                                 : 0;
  int64_t OC = C * M;
  if (l->explicit_padding) {
    top = l->pads[0];
    left = l->pads[2];
  }
  for (int64_t n = 0; n < l->batch; ++n)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x)
        for (int64_t c = 0; c < C; ++c)
          for (int64_t m = 0; m < M; ++m) {
            double sum = l->has_bias ? bias[c * M + m] : 0.0;
            for (int64_t i = 0; i < l->kernel_h; ++i)
              for (int64_t j = 0; j < l->kernel_w; ++j) {
                int64_t iy = y * l->stride_h + i * l->dilation_h - top;
                int64_t ix = x * l->stride_w + j * l->dilation_w - left;
                if (iy < 0 || iy >= H || ix < 0 || ix >= W)
                  continue;
                int64_t at = l->channels_first
                                 ? ((n * C + c) * H + iy) * W + ix
                                 : ((n * H + iy) * W + ix) * C + c;
                sum += (double)input[at] *
                       (double)kernel[((i * l->kernel_w + j) * C + c) * M + m];
              }
            int64_t o = c * M + m;
            int64_t out = l->channels_first ? ((n * OC + o) * oh + y) * ow + x
                                            : ((n * oh + y) * ow + x) * OC + o;
            if (l->has_params && l->activation == RELU)
              output[out] = dwconv_ref_keras_relu(sum, l->negative_slope,
                                                  l->max_value, l->threshold);
            else if (l->has_params && l->activation == LEAKY_RELU)
              output[out] = sum > 0.0 ? sum : l->negative_slope * sum;
            else
              output[out] = dwconv_ref_activation(l->activation, sum);
          }
  if (l->activation != SOFTMAX && l->activation != LOG_SOFTMAX &&
      l->activation != GLU && l->activation != SPARSEMAX)
    return;
  /* Keras applies these over the last axis of the output tensor. */
  int64_t last = l->channels_first ? ow : OC;
  int64_t rows = l->batch * oh * ow * OC / (last ? last : 1);
  for (int64_t r = 0; r < rows; ++r) {
    if (l->activation == SOFTMAX || l->activation == LOG_SOFTMAX)
      softmax_row(output + r * last, last, l->activation == LOG_SOFTMAX);
    else if (l->activation == SPARSEMAX)
      sparsemax_row(output + r * last, last);
    else if (l->activation == GLU)
      /* Row r's halves become row r of the output, half as long. */
      for (int64_t i = 0; i < last / 2; ++i)
        output[r * (last / 2) + i] =
            output[r * last + i] /
            (1.0 + exp(-output[r * last + last / 2 + i]));
  }
}
