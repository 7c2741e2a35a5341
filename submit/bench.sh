#!/usr/bin/env bash
# Where the time of a training epoch goes, in figures: submit/bench.sh [key=value ...]
# Measures the machine's sgemm speed, trains the notebook's headline configuration ([500,500],
# batch 64, 20000/2000) with the exact rule and with the fastest documented setting
# (conf/mnist-fast.properties; also with random negatives, to show what scoring the labels costs), one
# epoch of the paper-scale network (4x2000, full MNIST), the recurrent model
# (conf/mnist-recurrent.properties) with random and with hard negatives, and the fastest setting on 1
# and 2 partitions. Keys: exact, fast, epochs (5), fastEpochs (12), scalingEpochs (12), paper (true), recurrent,
# recurrentEpochs (2; 0 leaves it out), out (target/bench). The last line is machine-readable:
#   seed_epoch_seconds=<median training + evaluation seconds of an epoch, fastest setting>
# submit/bench.sh blas=compare only measures the bundled OpenBLAS, a system OpenBLAS and the Java BLAS
# (each in a JVM of its own) and stops.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # run as "sh script": bash is needed
export FFSPARK_MASTER="${FFSPARK_MASTER:-local[2]}"
here="$(dirname "${BASH_SOURCE[0]}")"
exec "$here/ffspark-submit.sh" bench "$@"
