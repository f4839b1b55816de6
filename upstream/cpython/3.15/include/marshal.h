/* Interface for marshal.c */

#ifndef Py_MARSHAL_H
#define Py_MARSHAL_H
#ifdef __cplusplus
extern "C" {
#endif

#ifndef Py_LIMITED_API
#  define _Py_CPYTHON_MARSHAL_H
#  include "cpython/marshal.h"
#  undef _Py_CPYTHON_MARSHAL_H
#endif

#ifdef __cplusplus
}
#endif
#endif /* !Py_MARSHAL_H */
