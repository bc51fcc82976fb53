// SoundTouch's C interface (LGPL-2.1, linked dynamically): tempo and pitch changed apart.
#include <SoundTouchDLL.h>
