/* A small extension module. Built once per toolchain and library, so its
   name comes from -DMODULE=... (spam when not given): PyInit_<MODULE>. */
#include <Python.h>

#ifndef MODULE
#define MODULE spam
#endif
#define JOIN_(a, b) a##b
#define JOIN(a, b) JOIN_(a, b)
#define TEXT_(a) #a
#define TEXT(a) TEXT_(a)

/* Which toolchain compiled this copy: tells same-named modules apart. */
#if defined(__clang__) && defined(_MSC_VER)
#define BUILT_BY "clang (MSVC target)"
#elif defined(__clang__) && defined(__MINGW32__)
#define BUILT_BY "clang (MinGW target)"
#elif defined(__GNUC__) && defined(__MINGW32__)
#define BUILT_BY "gcc (MinGW target)"
#else
#define BUILT_BY "unknown"
#endif

static PyObject *answer(PyObject *self, PyObject *unused)
{
    (void)self, (void)unused;
    return PyLong_FromLong(42);
}

static PyObject *twice(PyObject *self, PyObject *arg)
{
    long value = PyLong_AsLong(arg);
    (void)self;
    if (value == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(2 * value);
}

static PyObject *built_by(PyObject *self, PyObject *unused)
{
    (void)self, (void)unused;
    return PyUnicode_FromString(BUILT_BY);
}

/* Returns None: reads the data export _Py_NoneStruct. */
static PyObject *nothing(PyObject *self, PyObject *unused)
{
    (void)self, (void)unused;
    Py_IncRef(Py_None);
    return Py_None;
}

/* Raises TypeError: reads the data export PyExc_TypeError. */
static PyObject *refuse(PyObject *self, PyObject *unused)
{
    (void)self, (void)unused;
    PyErr_SetString(PyExc_TypeError, "refused by " TEXT(MODULE));
    return NULL;
}

static PyMethodDef methods[] = {
    {"answer", answer, METH_NOARGS, "42"},
    {"twice", twice, METH_O, "2 * x"},
    {"built_by", built_by, METH_NOARGS, "the compiler"},
    {"nothing", nothing, METH_NOARGS, "None"},
    {"refuse", refuse, METH_NOARGS, "raise TypeError"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef module = {
    PyModuleDef_HEAD_INIT, TEXT(MODULE), "implib's test extension", 0, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC JOIN(PyInit_, MODULE)(void)
{
    return PyModuleDef_Init(&module);
}
