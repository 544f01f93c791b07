"""Facts rules read: training calls, RNG seeding, torch models, framework training, cross-file facts."""
