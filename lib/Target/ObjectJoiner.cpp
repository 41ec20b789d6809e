//===- ObjectJoiner.cpp - relocatable objects joined into one -------------===//
//
// A joined object holds the inputs' sections side by side, in input order,
// and one symbol table: every input's local symbols, then the global names
// in the order they first appear. Section contents are copied byte for byte;
// relocation sections get their symbols renumbered and their links pointed
// at the new symbol table and target sections.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Target/ObjectJoiner.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/TargetParser/Triple.h"

#include <cstring>

#define DEBUG_TYPE "dwconv-object-joiner"

using namespace mlir;
using namespace mlir::dwconv;
using ELFT = llvm::object::ELF64LE;
using ELFFile = llvm::object::ELFFile<ELFT>;
namespace ELF = llvm::ELF;

bool mlir::dwconv::canJoinObjects(const llvm::Triple &triple) {
  return triple.isOSBinFormatELF() && triple.isArch64Bit() &&
         triple.isLittleEndian();
}

static llvm::Error unsupported(const Twine &why) {
  return llvm::createStringError("cannot join the layers' objects: " + why);
}

namespace {
/// A string table being built: each string once, after a leading NUL.
class StringTable {
public:
  uint32_t add(StringRef text) {
    if (text.empty())
      return 0;
    auto [it, inserted] = offsets.try_emplace(text, data.size());
    if (inserted) {
      data.append(text.begin(), text.end());
      data.push_back('\0');
    }
    return it->second;
  }
  std::string data = std::string(1, '\0');

private:
  llvm::StringMap<uint32_t> offsets;
};

/// A section of the joined object: its header (offset set when written) and
/// its bytes.
struct Section {
  ELFT::Shdr header;
  std::string bytes;
};

/// Where an input symbol went: a local's position among the locals, or a
/// global's among the globals.
struct SymbolRef {
  bool global = false;
  uint32_t index = 0;
};

/// What the joiner keeps of an input until its relocations are copied.
struct Input {
  ELFFile file;
  SmallVector<uint32_t> sectionMap;
  SmallVector<SymbolRef> symbolMap;
  SmallVector<const ELFT::Shdr *> relocations;
};

class Joiner {
public:
  llvm::Error add(StringRef object);
  llvm::Expected<std::string> finish();

private:
  llvm::Error addSections(Input &input, ELFT::ShdrRange sections,
                          const ELFT::Shdr *&symtab);
  llvm::Error addSymbols(Input &input, const ELFT::Shdr &symtab);
  llvm::Error addGlobal(Input &input, ELFT::Sym symbol, StringRef name);
  llvm::Error addRelocations(Input &input, const ELFT::Shdr &section);
  uint32_t finalIndex(SymbolRef ref) const {
    return 1 + (ref.global ? locals.size() + ref.index : ref.index);
  }
  llvm::Expected<uint16_t> mapSection(const Input &input, uint16_t index);
  std::string write(const ELFT::Ehdr &first);

  SmallVector<Input, 0> inputs;
  SmallVector<Section> sections{Section{}};
  StringTable sectionNames, symbolNames;
  SmallVector<ELFT::Sym> locals, globals;
  llvm::StringMap<uint32_t> globalIndex;
};
} // namespace

/// Copies the sections of `input` that hold code or data; relocation
/// sections wait for the symbols, the symbol and string tables are rebuilt.
llvm::Error Joiner::addSections(Input &input, ELFT::ShdrRange range,
                                const ELFT::Shdr *&symtab) {
  const ELFFile &file = input.file;
  input.sectionMap.assign(range.size(), 0);
  for (const ELFT::Shdr &header : range)
    if (header.sh_type == ELF::SHT_SYMTAB)
      symtab = symtab ? nullptr : &header;
  if (!symtab)
    return unsupported("an object without exactly one symbol table");
  uint32_t strtab = symtab->sh_link, shstrtab = file.getHeader().e_shstrndx;
  for (auto [index, header] : llvm::enumerate(range)) {
    unsigned type = header.sh_type;
    if (index == 0 || &header == symtab || type == ELF::SHT_LLVM_ADDRSIG ||
        ((index == strtab || index == shstrtab) && type == ELF::SHT_STRTAB))
      continue;
    if (type == ELF::SHT_RELA || type == ELF::SHT_REL) {
      input.relocations.push_back(&header);
      continue;
    }
    bool linkOrder = header.sh_flags & ELF::SHF_LINK_ORDER;
    if (type == ELF::SHT_GROUP || type == ELF::SHT_SYMTAB_SHNDX ||
        (header.sh_link && !linkOrder) || header.sh_info)
      return unsupported("a section of type " + Twine(type) +
                         " that refers to others");
    llvm::Expected<StringRef> name = file.getSectionName(header);
    llvm::Expected<ArrayRef<uint8_t>> bytes = file.getSectionContents(header);
    if (!name || !bytes)
      return llvm::joinErrors(name.takeError(), bytes.takeError());
    Section section{header, std::string(bytes->begin(), bytes->end())};
    section.header.sh_name = sectionNames.add(*name);
    input.sectionMap[index] = sections.size();
    sections.push_back(std::move(section));
  }
  // SHF_LINK_ORDER sections name another section of their input.
  for (auto [index, header] : llvm::enumerate(range))
    if (uint32_t out = input.sectionMap[index];
        out && (header.sh_flags & ELF::SHF_LINK_ORDER)) {
      llvm::Expected<uint16_t> link = mapSection(input, header.sh_link);
      if (!link)
        return link.takeError();
      sections[out].header.sh_link = *link;
    }
  return llvm::Error::success();
}

/// The joined object's index of section `index` of `input`, for a symbol
/// (reserved indices such as SHN_ABS and SHN_UNDEF stay).
llvm::Expected<uint16_t> Joiner::mapSection(const Input &input,
                                            uint16_t index) {
  if (index == ELF::SHN_UNDEF || index >= ELF::SHN_LORESERVE)
    return index;
  if (index >= input.sectionMap.size() || !input.sectionMap[index])
    return unsupported("a symbol in a section that is not copied");
  uint32_t out = input.sectionMap[index];
  if (out >= ELF::SHN_LORESERVE)
    return unsupported("too many sections");
  return out;
}

llvm::Error Joiner::addGlobal(Input &input, ELFT::Sym symbol, StringRef name) {
  bool defined = symbol.st_shndx != ELF::SHN_UNDEF;
  auto [it, inserted] = globalIndex.try_emplace(name, globals.size());
  input.symbolMap.push_back({/*global=*/true, it->second});
  symbol.st_name = symbolNames.add(name);
  if (inserted) {
    globals.push_back(symbol);
    return llvm::Error::success();
  }
  ELFT::Sym &known = globals[it->second];
  if (!defined)
    return llvm::Error::success();
  if (known.st_shndx != ELF::SHN_UNDEF)
    return unsupported("'" + name + "' is defined twice");
  known = symbol;
  return llvm::Error::success();
}

/// Adds the symbols of `input`, recording where each went.
llvm::Error Joiner::addSymbols(Input &input, const ELFT::Shdr &symtab) {
  llvm::Expected<ELFT::SymRange> symbols = input.file.symbols(&symtab);
  llvm::Expected<StringRef> names = input.file.getStringTableForSymtab(symtab);
  if (!symbols || !names)
    return llvm::joinErrors(symbols.takeError(), names.takeError());
  input.symbolMap.push_back({});
  for (ELFT::Sym symbol : symbols->drop_front()) {
    llvm::Expected<StringRef> name = symbol.getName(*names);
    llvm::Expected<uint16_t> section = mapSection(input, symbol.st_shndx);
    if (!name || !section)
      return llvm::joinErrors(name.takeError(), section.takeError());
    symbol.st_shndx = *section;
    if (symbol.getBinding() != ELF::STB_LOCAL) {
      if (llvm::Error error = addGlobal(input, symbol, *name))
        return error;
      continue;
    }
    symbol.st_name = symbolNames.add(*name);
    input.symbolMap.push_back({/*global=*/false, (uint32_t)locals.size()});
    locals.push_back(symbol);
  }
  return llvm::Error::success();
}

llvm::Error Joiner::add(StringRef object) {
  llvm::Expected<ELFFile> file = ELFFile::create(object);
  if (!file)
    return file.takeError();
  const ELFT::Ehdr &header = file->getHeader();
  if (header.e_type != ELF::ET_REL)
    return unsupported("an input is not a relocatable object");
  if (!inputs.empty()) {
    const ELFT::Ehdr &first = inputs.front().file.getHeader();
    if (header.e_machine != first.e_machine ||
        header.e_flags != first.e_flags ||
        header.e_ident[ELF::EI_OSABI] != first.e_ident[ELF::EI_OSABI])
      return unsupported("the objects are for different machines");
  }
  inputs.push_back(Input{std::move(*file), {}, {}, {}});
  Input &input = inputs.back();
  llvm::Expected<ELFT::ShdrRange> range = input.file.sections();
  if (!range)
    return range.takeError();
  const ELFT::Shdr *symtab = nullptr;
  if (llvm::Error error = addSections(input, *range, symtab))
    return error;
  return addSymbols(input, *symtab);
}

/// Copies a relocation section of `input`, its symbols renumbered.
llvm::Error Joiner::addRelocations(Input &input, const ELFT::Shdr &header) {
  if (header.sh_info >= input.sectionMap.size() ||
      !input.sectionMap[header.sh_info])
    return unsupported("relocations for a section that is not copied");
  llvm::Expected<StringRef> name = input.file.getSectionName(header);
  llvm::Expected<ArrayRef<uint8_t>> bytes =
      input.file.getSectionContents(header);
  if (!name || !bytes)
    return llvm::joinErrors(name.takeError(), bytes.takeError());
  bool rela = header.sh_type == ELF::SHT_RELA;
  size_t size = rela ? sizeof(ELFT::Rela) : sizeof(ELFT::Rel);
  if (header.sh_entsize != size || bytes->size() % size)
    return unsupported("a relocation section of unexpected entry size");
  Section section{header, std::string(bytes->begin(), bytes->end())};
  section.header.sh_name = sectionNames.add(*name);
  section.header.sh_info = input.sectionMap[header.sh_info];
  // The symbol index is the high half of r_info in both kinds.
  for (size_t offset = 0; offset < section.bytes.size(); offset += size) {
    auto *entry = reinterpret_cast<ELFT::Rel *>(&section.bytes[offset]);
    uint32_t symbol = entry->getSymbol(/*isMips64EL=*/false);
    if (symbol >= input.symbolMap.size())
      return unsupported("a relocation names a symbol that does not exist");
    uint32_t index = symbol ? finalIndex(input.symbolMap[symbol]) : 0;
    entry->setSymbolAndType(index, entry->getType(/*isMips64EL=*/false),
                            /*isMips64EL=*/false);
  }
  sections.push_back(std::move(section));
  return llvm::Error::success();
}

/// A section of a table the joiner builds.
static Section makeTable(unsigned type, std::string bytes, uint64_t entsize,
                         uint64_t align) {
  Section section{};
  section.header.sh_type = type;
  section.header.sh_entsize = entsize;
  section.header.sh_addralign = align;
  section.bytes = std::move(bytes);
  return section;
}

llvm::Expected<std::string> Joiner::finish() {
  if (inputs.empty())
    return unsupported("no objects");
  for (Input &input : inputs)
    for (const ELFT::Shdr *header : input.relocations)
      if (llvm::Error error = addRelocations(input, *header))
        return std::move(error);
  uint32_t symtabIndex = sections.size();
  std::string symbolBytes(sizeof(ELFT::Sym), '\0');
  for (const ELFT::Sym &symbol : llvm::concat<const ELFT::Sym>(locals, globals))
    symbolBytes.append(reinterpret_cast<const char *>(&symbol), sizeof(symbol));
  Section symtab =
      makeTable(ELF::SHT_SYMTAB, std::move(symbolBytes), sizeof(ELFT::Sym), 8);
  symtab.header.sh_name = sectionNames.add(".symtab");
  symtab.header.sh_link = symtabIndex + 1;
  symtab.header.sh_info = 1 + locals.size();
  sections.push_back(std::move(symtab));
  for (Section &section : sections)
    if (section.header.sh_type == ELF::SHT_RELA ||
        section.header.sh_type == ELF::SHT_REL)
      section.header.sh_link = symtabIndex;
  Section strtab = makeTable(ELF::SHT_STRTAB, symbolNames.data, 0, 1);
  strtab.header.sh_name = sectionNames.add(".strtab");
  sections.push_back(std::move(strtab));
  uint32_t shstrtabName = sectionNames.add(".shstrtab");
  sections.push_back(makeTable(ELF::SHT_STRTAB, sectionNames.data, 0, 1));
  sections.back().header.sh_name = shstrtabName;
  if (sections.size() >= ELF::SHN_LORESERVE)
    return unsupported("too many sections");
  return write(inputs.front().file.getHeader());
}

/// The object: the ELF header, the sections' bytes, the section headers.
std::string Joiner::write(const ELFT::Ehdr &first) {
  std::string out(sizeof(ELFT::Ehdr), '\0');
  auto alignTo = [&](uint64_t align) {
    out.resize(llvm::alignTo(out.size(), std::max<uint64_t>(align, 1)), '\0');
  };
  for (Section &section : llvm::drop_begin(sections)) {
    alignTo(section.header.sh_addralign);
    section.header.sh_offset = out.size();
    section.header.sh_size = section.header.sh_type == ELF::SHT_NOBITS
                                 ? section.header.sh_size
                                 : section.bytes.size();
    out += section.bytes;
  }
  alignTo(8);
  ELFT::Ehdr header = first;
  header.e_phoff = 0;
  header.e_phnum = 0;
  header.e_shoff = out.size();
  header.e_shnum = sections.size();
  header.e_shstrndx = sections.size() - 1;
  for (const Section &section : sections)
    out.append(reinterpret_cast<const char *>(&section.header),
               sizeof(ELFT::Shdr));
  std::memcpy(out.data(), &header, sizeof(header));
  return out;
}

llvm::Expected<std::string>
mlir::dwconv::joinObjects(ArrayRef<StringRef> objects) {
  Joiner joiner;
  for (StringRef object : objects)
    if (llvm::Error error = joiner.add(object))
      return std::move(error);
  LLVM_DEBUG(llvm::dbgs() << "joined " << objects.size() << " objects\n");
  return joiner.finish();
}
