# A Cython module for the Cython recipe (docs/recipes.md): a function and an extension type.
# cython: language_level=3
def fib(int n):
    cdef long a = 0, b = 1
    for _ in range(n):
        a, b = b, a + b
    return a

cdef class Counter:
    cdef public long count
    def __init__(self, long start=0):
        self.count = start
    def add(self, long n):
        self.count += n
        return self.count
