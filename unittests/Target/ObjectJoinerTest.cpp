//===- ObjectJoinerTest.cpp - relocatable objects joined into one ---------===//
//
// Objects described in YAML (yaml2obj's library) joined, and the result read
// back with LLVM's ELF reader: sections kept byte for byte, symbols merged,
// relocations renumbered; and what the joiner refuses.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Target/ObjectJoiner.h"

#include "llvm/Object/ELF.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/ObjectYAML/yaml2obj.h"
#include "llvm/TargetParser/Triple.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::dwconv;
using ELFT = llvm::object::ELF64LE;

namespace {

/// An object from YAML; the test fails on YAML errors.
std::string object(StringRef yaml) {
  SmallString<0> storage;
  auto file =
      llvm::yaml::yaml2ObjectFile(storage, yaml, [](const Twine &message) {
        ADD_FAILURE() << message.str();
      });
  EXPECT_TRUE(file);
  return std::string(storage.str());
}

/// The YAML of an object for `machine` whose .text holds `content`, with
/// the rest of its sections and its symbols in `rest`.
std::string objectYAML(StringRef machine, StringRef content, StringRef rest) {
  return (Twine("--- !ELF\n"
                "FileHeader: { Class: ELFCLASS64, Data: ELFDATA2LSB, "
                "Type: ET_REL, Machine: ") +
          machine +
          " }\n"
          "Sections:\n"
          "  - Name: .text\n"
          "    Type: SHT_PROGBITS\n"
          "    Flags: [ SHF_ALLOC, SHF_EXECINSTR ]\n"
          "    AddressAlign: 16\n"
          "    Content: " +
          content + "\n" + rest)
      .str();
}

/// An x86-64 object whose .text calls `g` (a relocation) and defines `f` and
/// a local `here`.
const std::string kCaller = objectYAML("EM_X86_64", "E800000000C3", R"(
  - Name: .rela.text
    Type: SHT_RELA
    Info: .text
    Relocations:
      - { Offset: 1, Symbol: g, Type: R_X86_64_PLT32, Addend: -4 }
Symbols:
  - { Name: here, Section: .text }
  - { Name: f, Type: STT_FUNC, Section: .text, Binding: STB_GLOBAL }
  - { Name: g, Binding: STB_GLOBAL }
)");

/// An object for `machine` that defines `g` and a local `here` of its own.
std::string callee(StringRef machine) {
  return objectYAML(machine, "90C3", R"(
Symbols:
  - { Name: here, Section: .text, Value: 1 }
  - { Name: g, Type: STT_FUNC, Section: .text, Binding: STB_GLOBAL }
)");
}
const std::string kCallee = callee("EM_X86_64");

std::string joined(ArrayRef<std::string> objects, std::string *error) {
  SmallVector<StringRef> inputs(objects.begin(), objects.end());
  llvm::Expected<std::string> result = joinObjects(inputs);
  if (!result) {
    *error = llvm::toString(result.takeError());
    return "";
  }
  return *result;
}

TEST(ObjectJoiner, KeepsSectionsAndResolvesSymbols) {
  std::string error;
  std::string out = joined({object(kCaller), object(kCallee)}, &error);
  ASSERT_EQ(error, "");
  auto file = llvm::cantFail(llvm::object::ELFFile<ELFT>::create(out));
  auto sections = llvm::cantFail(file.sections());
  // Null, both .text, the relocations, .symtab, .strtab, .shstrtab.
  ASSERT_EQ(sections.size(), 7u);
  EXPECT_EQ(llvm::cantFail(file.getSectionName(sections[1])), ".text");
  EXPECT_EQ(llvm::cantFail(file.getSectionName(sections[2])), ".text");
  auto bytes = [&](unsigned i) {
    ArrayRef<uint8_t> data =
        llvm::cantFail(file.getSectionContents(sections[i]));
    return std::string(data.begin(), data.end());
  };
  EXPECT_EQ(bytes(1), std::string("\xE8\0\0\0\0\xC3", 6));
  EXPECT_EQ(bytes(2), "\x90\xC3");
  EXPECT_EQ(sections[1].sh_addralign, 16u);
  EXPECT_EQ(sections[1].sh_offset % 16, 0u);
  EXPECT_EQ(sections[2].sh_offset % 16, 0u);

  const ELFT::Shdr &symtab = sections[4];
  ASSERT_EQ(symtab.sh_type, llvm::ELF::SHT_SYMTAB);
  StringRef names = llvm::cantFail(file.getStringTableForSymtab(symtab));
  auto symbols = llvm::cantFail(file.symbols(&symtab));
  // Null, the two locals, then f and g, g defined once in the callee's .text.
  ASSERT_EQ(symbols.size(), 5u);
  EXPECT_EQ(symtab.sh_info, 3u);
  auto name = [&](unsigned i) {
    return llvm::cantFail(symbols[i].getName(names)).str();
  };
  EXPECT_EQ(name(1), "here");
  EXPECT_EQ(symbols[1].st_shndx, 1u);
  EXPECT_EQ(name(2), "here");
  EXPECT_EQ(symbols[2].st_shndx, 2u);
  EXPECT_EQ(symbols[2].st_value, 1u);
  EXPECT_EQ(name(3), "f");
  EXPECT_EQ(symbols[3].st_shndx, 1u);
  EXPECT_EQ(name(4), "g");
  EXPECT_EQ(symbols[4].st_shndx, 2u);
  EXPECT_EQ(symbols[4].getType(), llvm::ELF::STT_FUNC);

  const ELFT::Shdr &rela = sections[3];
  EXPECT_EQ(llvm::cantFail(file.getSectionName(rela)), ".rela.text");
  EXPECT_EQ(rela.sh_link, 4u);
  EXPECT_EQ(rela.sh_info, 1u);
  auto relocations = llvm::cantFail(file.relas(rela));
  ASSERT_EQ(relocations.size(), 1u);
  EXPECT_EQ(relocations[0].r_offset, 1u);
  EXPECT_EQ(relocations[0].getSymbol(false), 4u);
  EXPECT_EQ(relocations[0].getType(false), llvm::ELF::R_X86_64_PLT32);
  EXPECT_EQ(relocations[0].r_addend, -4);
}

TEST(ObjectJoiner, RefusesAGlobalDefinedTwice) {
  std::string error;
  joined({object(kCallee), object(kCallee)}, &error);
  EXPECT_EQ(error, "cannot join the layers' objects: 'g' is defined twice");
}

TEST(ObjectJoiner, RefusesObjectsForDifferentMachines) {
  std::string arm = object(callee("EM_AARCH64"));
  std::string error;
  joined({object(kCaller), arm}, &error);
  EXPECT_EQ(error,
            "cannot join the layers' objects: the objects are for different "
            "machines");
}

TEST(ObjectJoiner, RefusesSectionGroups) {
  std::string grouped = object(R"(--- !ELF
FileHeader: { Class: ELFCLASS64, Data: ELFDATA2LSB, Type: ET_REL, Machine: EM_X86_64 }
Sections:
  - Name: .group
    Type: SHT_GROUP
    Info: f
    Members:
      - SectionOrType: GRP_COMDAT
      - SectionOrType: .text.f
  - Name: .text.f
    Type: SHT_PROGBITS
    Flags: [ SHF_ALLOC, SHF_EXECINSTR, SHF_GROUP ]
    Content: C3
Symbols:
  - { Name: f, Type: STT_FUNC, Section: .text.f, Binding: STB_WEAK }
)");
  std::string error;
  joined({grouped}, &error);
  EXPECT_EQ(
      error.rfind("cannot join the layers' objects: a section of type", 0), 0u)
      << error;
}

TEST(ObjectJoiner, RefusesNothingToJoin) {
  std::string error;
  joined({}, &error);
  EXPECT_EQ(error, "cannot join the layers' objects: no objects");
}

TEST(ObjectJoiner, JoinsSixtyFourBitLittleEndianELF) {
  EXPECT_TRUE(canJoinObjects(llvm::Triple("x86_64-unknown-linux-gnu")));
  EXPECT_TRUE(canJoinObjects(llvm::Triple("aarch64-unknown-linux-gnu")));
  EXPECT_FALSE(canJoinObjects(llvm::Triple("i686-unknown-linux-gnu")));
  EXPECT_FALSE(canJoinObjects(llvm::Triple("x86_64-apple-macosx")));
  EXPECT_FALSE(canJoinObjects(llvm::Triple("x86_64-pc-windows-msvc")));
  EXPECT_FALSE(canJoinObjects(llvm::Triple("powerpc64-unknown-linux-gnu")));
}

} // namespace
