/* A stand-in for CPython's <Python.h>, whose Windows build is not available
   here: just what spam.c uses, declared with the layouts CPython has on 64-bit
   Windows (those of the stable ABI, so the same for python3.dll and
   python313.dll). Not for the free-threaded build, whose PyObject differs. */
#ifndef IMPLIB_TEST_PYTHON_H
#define IMPLIB_TEST_PYTHON_H

#define PyAPI_FUNC(type) __declspec(dllimport) type
#define PyAPI_DATA(type) extern __declspec(dllimport) type
#define PyMODINIT_FUNC __declspec(dllexport) PyObject *

#ifndef NULL
#define NULL ((void *)0)
#endif

typedef long long Py_ssize_t; /* LLP64: long is 32 bits, pointers 64 */

typedef struct _typeobject PyTypeObject;

typedef struct _object {
    Py_ssize_t ob_refcnt;
    PyTypeObject *ob_type;
} PyObject;

typedef PyObject *(*PyCFunction)(PyObject *, PyObject *);

typedef struct PyMethodDef {
    const char *ml_name;
    PyCFunction ml_meth;
    int ml_flags;
    const char *ml_doc;
} PyMethodDef;

#define METH_NOARGS 0x0004
#define METH_O 0x0008

typedef struct PyModuleDef_Base {
    PyObject ob_base;
    PyObject *(*m_init)(void);
    Py_ssize_t m_index;
    PyObject *m_copy;
} PyModuleDef_Base;

#define PyModuleDef_HEAD_INIT {{1, NULL}, NULL, 0, NULL}

typedef struct PyModuleDef_Slot {
    int slot;
    void *value;
} PyModuleDef_Slot;

typedef struct PyModuleDef {
    PyModuleDef_Base m_base;
    const char *m_name;
    const char *m_doc;
    Py_ssize_t m_size;
    PyMethodDef *m_methods;
    PyModuleDef_Slot *m_slots;
    int (*m_traverse)(PyObject *, int (*)(PyObject *, void *), void *);
    int (*m_clear)(PyObject *);
    void (*m_free)(void *);
} PyModuleDef;

PyAPI_FUNC(PyObject *) PyModuleDef_Init(PyModuleDef *def);
PyAPI_FUNC(PyObject *) PyLong_FromLong(long value);
PyAPI_FUNC(long) PyLong_AsLong(PyObject *obj);
PyAPI_FUNC(PyObject *) PyUnicode_FromString(const char *text);
PyAPI_FUNC(PyObject *) PyErr_Occurred(void);
PyAPI_FUNC(void) PyErr_SetString(PyObject *type, const char *message);
PyAPI_FUNC(void) Py_IncRef(PyObject *obj);

/* Data exports: the linker must import these as data, not as functions. */
PyAPI_DATA(PyObject) _Py_NoneStruct;
PyAPI_DATA(PyObject *) PyExc_TypeError;

#define Py_None (&_Py_NoneStruct)

#endif
