# rules: ML303
# case: TODO the simplest code that must be flagged
x = 1  # expect: ML303

# case: TODO a look-alike that must NOT be flagged
x = 1
