/* Prints the layout of dwconv_layer_metadata as the C compiler lays it out
 * from dwconv/abi.def: "NAME OFFSET" per field, then the size. */
#include "dwconv/runtime.h"

#include <stddef.h>
#include <stdio.h>

int main(void) {
#define DWCONV_METADATA_FIELD(KIND, NAME)                                      \
  printf("%s %lu\n", #NAME,                                                    \
         (unsigned long)offsetof(dwconv_layer_metadata, NAME));
#define DWCONV_METADATA_ARRAY(KIND, NAME, COUNT)                               \
  DWCONV_METADATA_FIELD(KIND, NAME)
#include "dwconv/abi.def"
  printf("size %lu\n", (unsigned long)sizeof(dwconv_layer_metadata));
  return 0;
}
