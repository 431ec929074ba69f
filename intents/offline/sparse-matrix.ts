/** One featurised text: parallel arrays of feature indices and values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Rows of sparse vectors in compressed sparse row form (row `i` spans `offsets[i]..offsets[i+1]`). */
export interface CsrMatrix {
  readonly rows: number;
  readonly columns: number;
  readonly offsets: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export function toCsr(vectors: readonly SparseVector[], columns: number): CsrMatrix {
  const offsets = new Int32Array(vectors.length + 1);
  let nnz = 0;
  vectors.forEach((vector, row) => {
    nnz += vector.indices.length;
    offsets[row + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  vectors.forEach((vector, row) => {
    indices.set(vector.indices, offsets[row]);
    values.set(vector.values, offsets[row]);
  });
  return { rows: vectors.length, columns, offsets, indices, values };
}
