//===- LayerRunner.cpp - run a loaded layer on arrays ---------------------===//

#include "LayerRunner.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/CommandLine.h"

#include <thread>
#include <vector>

using namespace mlir::dwconv;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Whether `given` fits `expected` (-1 matches anything).
static bool fits(llvm::ArrayRef<int64_t> given,
                 llvm::ArrayRef<int64_t> expected) {
  return given.size() == expected.size() &&
         llvm::all_of(llvm::zip(given, expected), [](auto pair) {
           auto [g, e] = pair;
           return e < 0 || g == e;
         });
}

llvm::Error mlir::dwconv::checkArrays(const dwconv_layer_metadata &layer,
                                      const LayerArrays &arrays) {
  std::string name = std::string("layer '") +
                     (layer.keras_name ? layer.keras_name : layer.name) + "'";
  if (!fits(arrays.input.shape, layer.input_shape))
    return makeError(arrays.inputName + " has shape " +
                     formatShape(arrays.input.shape) + " but " + name +
                     " takes " + formatShape(layer.input_shape));
  if (layer.weights_baked && (arrays.kernel || arrays.bias))
    return makeError(name + " has its weights baked in; give neither " +
                     "--kernel nor --bias");
  if (layer.weights_baked)
    return llvm::Error::success();
  if (!arrays.kernel)
    return makeError(name +
                     " takes its kernel at run time: give it with "
                     "--kernel K.npy of shape (kh, kw, C, M) = " +
                     formatShape(layer.kernel_shape));
  if (!fits(arrays.kernel->shape, layer.kernel_shape))
    return makeError(
        arrays.kernelName + " has shape " + formatShape(arrays.kernel->shape) +
        " but " + name +
        " takes (kh, kw, C, M) = " + formatShape(layer.kernel_shape));
  int64_t biasSize = layer.kernel_shape[2] * layer.kernel_shape[3];
  if (layer.has_bias && !arrays.bias)
    return makeError(name +
                     " has a bias (use_bias): give it with --bias "
                     "B.npy of shape " +
                     formatShape({biasSize}));
  if (!layer.has_bias && arrays.bias)
    return makeError(arrays.biasName + " was given but " + name +
                     " has no bias (use_bias is false)");
  if (arrays.bias && !fits(arrays.bias->shape, {biasSize}))
    return makeError(arrays.biasName + " has shape " +
                     formatShape(arrays.bias->shape) + " but " + name +
                     " takes " + formatShape({biasSize}));
  return llvm::Error::success();
}

static llvm::Error statusError(dwconv_status status, const char *message) {
  return makeError(llvm::Twine(dwconv_status_string(status)) + ": " + message);
}

void mlir::dwconv::threadPerItemParallelFor(void *, int64_t count,
                                            dwconv_task_fn fn, void *arg) {
  std::vector<std::thread> workers;
  for (int64_t i = count - 1; i > 0; --i)
    workers.emplace_back([=] { fn(arg, i, i + 1); });
  if (count > 0)
    fn(arg, 0, 1);
  for (std::thread &worker : workers)
    worker.join();
}

llvm::Expected<NpyArray>
mlir::dwconv::runLayer(const dwconv_layer_metadata &layer,
                       const LayerArrays &arrays, int threads, bool callerPool,
                       dwconv_device device) {
  dwconv_context_options options = {};
  options.threads = threads;
  options.device = device;
  if (callerPool)
    options.parallel_for = threadPerItemParallelFor;
  dwconv_context *context = nullptr;
  if (dwconv_status status = dwconv_context_create(&options, &context))
    return statusError(status, dwconv_context_last_error(nullptr));
  auto buffer = [](const NpyArray *array) {
    return array ? dwconv_buffer_f32(array->data.data(), array->shape.size(),
                                     array->shape.data())
                 : dwconv_buffer_f32(nullptr, 0, nullptr);
  };
  dwconv_call call = dwconv_call_empty();
  call.input = buffer(&arrays.input);
  call.depthwise_kernel = buffer(arrays.kernel ? &*arrays.kernel : nullptr);
  call.bias = buffer(arrays.bias ? &*arrays.bias : nullptr);
  int64_t outputDims[4];
  dwconv_status status =
      dwconv_layer_output_shape(&layer, arrays.input.shape.data(), outputDims);
  NpyArray output;
  if (status == DWCONV_OK) {
    output.shape.assign(outputDims, outputDims + 4);
    output.data.resize(outputDims[0] * outputDims[1] * outputDims[2] *
                       outputDims[3]);
    call.output = dwconv_buffer_f32(output.data.data(), 4, outputDims);
    status = dwconv_layer_run(context, &layer, &call);
  }
  std::string message = dwconv_context_last_error(
      status == DWCONV_OK || output.data.size() ? context : nullptr);
  dwconv_context_destroy(context);
  if (status != DWCONV_OK)
    return statusError(status, message.c_str());
  return output;
}

void mlir::dwconv::renameLLVMThreadsOption() {
  auto options = llvm::cl::getRegisteredOptions();
  auto it = options.find("threads");
  if (it != options.end())
    it->second->setArgStr("llvm-threads");
}
