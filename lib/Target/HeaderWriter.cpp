//===- HeaderWriter.cpp - the C header of a generated object --------------===//

#include "dwconv/Target/HeaderWriter.h"
#include "dwconv/Target/RuntimeABI.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::dwconv;

static std::string upper(StringRef text) {
  std::string result = text.upper();
  for (char &c : result)
    if (!llvm::isAlnum(c))
      c = '_';
  return result;
}

/// `text` inside a C comment: a Keras name may hold anything, and must never
/// end the comment early.
static std::string commentSafe(StringRef text) {
  std::string safe = text.str();
  for (size_t at; (at = safe.find("*/")) != std::string::npos;)
    safe.replace(at, 2, "* /");
  return safe;
}

static void writeShape(llvm::raw_ostream &os, ArrayRef<int64_t> shape,
                       StringRef dynamic) {
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << dynamic;
    else
      os << d;
  });
}

/// FLOPs of one image (batch element): two per tap and output, plus one each
/// for the bias and the activation. Needs static spatial output dims.
static std::optional<int64_t> flopsPerImage(const LayerABI &layer) {
  int64_t outputs = 1;
  for (unsigned d = 1; d < 4; ++d) {
    if (layer.outputType.isDynamicDim(d))
      return std::nullopt;
    outputs *= layer.outputType.getDimSize(d);
  }
  // glu's outputs are half of what the convolution computes.
  if (layer.activation == Activation::glu)
    outputs *= 2;
  int64_t taps = layer.kernelTaps();
  int64_t epilogue = (layer.hasBias ? 1 : 0) +
                     (layer.activation != Activation::linear ? 1 : 0);
  return outputs * (2 * taps + epilogue);
}

/// The typed convenience function: the call of the layer on dense float
/// buffers, with the dynamic input dims as arguments.
static void writeWrapper(llvm::raw_ostream &os, const LayerABI &layer) {
  os << "/* Validates the arguments, then computes the layer. Returns "
        "DWCONV_OK "
        "or an\n * error whose message dwconv_context_last_error gives. */\n";
  os << "DWCONV_INLINE dwconv_status " << layer.wrapperName()
     << "(dwconv_context *context,\n    const float *input, ";
  if (!layer.weightsBaked)
    os << "const float *depthwise_kernel, ";
  if (!layer.weightsBaked && layer.hasBias)
    os << "const float *bias, ";
  os << "float *output";
  for (unsigned dim : layer.dynamicInputDims())
    os << ", int64_t " << layer.dimName(dim);
  os << ") {\n  dwconv_call call;\n  int64_t input_dims[4];\n";
  for (unsigned d = 0; d < 4; ++d) {
    os << "  input_dims[" << d << "] = ";
    if (layer.inputType.isDynamicDim(d))
      os << layer.dimName(d);
    else
      os << layer.inputType.getDimSize(d);
    os << ";\n";
  }
  os << "  call = dwconv_call_empty();\n"
     << "  call.input = dwconv_buffer_f32(input, 4, input_dims);\n";
  if (!layer.weightsBaked)
    os << "  call.depthwise_kernel = dwconv_buffer_f32(depthwise_kernel, 0, "
          "NULL);\n";
  if (!layer.weightsBaked && layer.hasBias)
    os << "  call.bias = dwconv_buffer_f32(bias, 0, NULL);\n";
  os << "  call.output = dwconv_buffer_f32(output, 0, NULL);\n"
     << "  return " << layer.callSymbol() << "(context, &call);\n}\n";
}

static void writeLayer(llvm::raw_ostream &os, const LayerABI &layer) {
  std::string macro = "DWCONV_" + upper(layer.name);
  StringRef layout = layer.dataFormat == DataFormat::channels_first
                         ? "(N, C, H, W)"
                         : "(N, H, W, C)";
  os << "/* Layer '" << commentSafe(layer.displayName())
     << "': Keras DepthwiseConv2D, " << stringifyDataFormat(layer.dataFormat)
     << ", float32.\n";
  os << " *   input  " << layout << " = (";
  writeShape(os, layer.inputType.getShape(), "?");
  os << ")\n *   kernel (kh, kw, C, M) = (";
  writeShape(os, layer.kernelType.getShape(), "?");
  os << "), strides [";
  llvm::interleaveComma(layer.strides, os);
  os << "], dilation_rate [";
  llvm::interleaveComma(layer.dilationRate, os);
  if (layer.padding == Padding::explicit_pads) {
    os << "], padding [";
    llvm::interleaveComma(layer.pads, os);
    os << "] (top, bottom, left, right)\n";
  } else {
    os << "], padding '" << stringifyPadding(layer.padding) << "'\n";
  }
  os << " *   bias: " << (layer.hasBias ? "yes" : "no")
     << ", activation: " << layer.activationText
     << (layer.weightsBaked ? ", weights baked into the object" : "") << "\n";
  if (!layer.foldedLayers.empty())
    os << " *   folded into it: " << commentSafe(layer.foldedLayers) << "\n";
  if (layer.onGPU)
    os << " *   runs on a CUDA GPU (a context of device DWCONV_DEVICE_CUDA); "
          "the wrapper's\n *   pointers are host memory, copied in and out "
          "by the runtime\n";
  os << " *   output " << layout << " = (";
  writeShape(os, layer.outputType.getShape(), "?");
  os << ")\n */\n";

  os << "#define " << macro << "_INPUT_SHAPE {";
  writeShape(os, layer.inputType.getShape(), "-1");
  os << "}\n#define " << macro << "_KERNEL_SHAPE {";
  writeShape(os, layer.kernelType.getShape(), "-1");
  os << "}\n#define " << macro << "_OUTPUT_SHAPE {";
  writeShape(os, layer.outputType.getShape(), "-1");
  os << "}\n";
  if (std::optional<int64_t> flops = flopsPerImage(layer))
    os << "#define " << macro << "_FLOPS_PER_IMAGE " << *flops << "LL\n";
  os << "extern const dwconv_layer_metadata " << layer.metadataSymbol()
     << ";\n";
  os << "/* The uniform entry point (runtime ABI v" << abi::VERSION
     << "): dwconv_layer_run with this layer. */\n";
  os << "dwconv_status " << layer.callSymbol()
     << "(dwconv_context *context, const dwconv_call *call);\n";
  if (!layer.onGPU)
    os << "void " << layer.tileSymbol()
       << "(const dwconv_tile_state *state, void *workspace,\n    int64_t "
          "tile_begin, int64_t tile_end);\n";
  if (!layer.weightsBaked)
    os << "void " << layer.packSymbol()
       << "(const void *kernel, const void *bias, void *packed);\n";
  writeWrapper(os, layer);
  os << "\n";
}

/// The declaration of a model's layer table and its length.
static void writeTable(llvm::raw_ostream &os, ArrayRef<LayerABI> layers,
                       StringRef symbol) {
  std::string macro = upper(symbol);
  std::string count = macro.substr(0, macro.size() - 7) + "_LAYER_COUNT";
  os << "/* The model's layers in order: Keras name, symbol name, metadata "
        "and\n"
        " * uniform entry point of each; an all-NULL entry follows them. */\n"
     << "#define " << count << " " << layers.size() << "\n"
     << "extern const dwconv_model_layer " << symbol << "[" << count
     << " + 1];\n\n";
}

void mlir::dwconv::writeHeader(llvm::raw_ostream &os, ArrayRef<LayerABI> layers,
                               StringRef guard, StringRef tableSymbol) {
  std::string macro = upper(guard);
  os << "/* Generated by dwconv-compile. Do not edit. */\n"
     << "#ifndef " << macro << "\n#define " << macro << "\n\n"
     << "#include <stdint.h>\n\n#include \"dwconv/runtime.h\"\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  for (const LayerABI &layer : layers)
    writeLayer(os, layer);
  if (!tableSymbol.empty())
    writeTable(os, layers, tableSymbol);
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << macro << " */\n";
}
