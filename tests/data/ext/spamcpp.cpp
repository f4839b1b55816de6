// A C++ extension module for the C++ recipe (docs/recipes.md): the standard
// library (std::string, std::vector, exceptions) behind CPython's C API.
#include <Python.h>

#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

static long checked_sum(const std::vector<long> &values)
{
    if (values.empty())
        throw std::invalid_argument("empty sequence");
    return std::accumulate(values.begin(), values.end(), 0L);
}

static PyObject *total(PyObject *, PyObject *arg)
{
    PyObject *items = PySequence_Fast(arg, "a sequence, please");
    if (items == nullptr)
        return nullptr;
    std::vector<long> values;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(items); i++) {
        long value = PyLong_AsLong(PySequence_Fast_GET_ITEM(items, i));
        if (value == -1 && PyErr_Occurred()) {
            Py_DECREF(items);
            return nullptr;
        }
        values.push_back(value);
    }
    Py_DECREF(items);
    try {
        return PyLong_FromLong(checked_sum(values));
    } catch (const std::exception &exc) {
        PyErr_SetString(PyExc_ValueError, exc.what());
        return nullptr;
    }
}

static PyObject *shout(PyObject *, PyObject *arg)
{
    const char *text = PyUnicode_AsUTF8(arg);
    if (text == nullptr)
        return nullptr;
    std::string loud(text);
    for (char &c : loud)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return PyUnicode_FromString((loud + "!").c_str());
}

static PyMethodDef methods[] = {
    {"total", total, METH_O, "the sum of a sequence of ints (ValueError when empty)"},
    {"shout", shout, METH_O, "the text in capitals, with !"},
    {nullptr, nullptr, 0, nullptr},
};

static PyModuleDef module = {PyModuleDef_HEAD_INIT, "spamcpp", "implib's C++ test extension", 0, methods};

PyMODINIT_FUNC PyInit_spamcpp(void)
{
    return PyModuleDef_Init(&module);
}
