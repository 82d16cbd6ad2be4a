#include "CLibJPEG.h"
int clibjpeg_placeholder(void) { return 0; }
