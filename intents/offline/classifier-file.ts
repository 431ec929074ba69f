import { createHash } from 'node:crypto';
import { ensembleMember, type MemberModel } from './ensemble-member.js';
import { OfflineClassifier } from './offline-classifier.js';
import { TfidfFeaturizer, type FeatureOptions } from './tfidf-featurizer.js';

/**
 * A trained classifier as bytes, and back: a JSON header (labels, vocabulary, settings, where each
 * array lies) followed by the raw typed arrays, with a SHA-256 of everything after the hash so a
 * truncated or damaged file is refused rather than loaded. Hand-written: the model is a few typed
 * arrays and a vocabulary, and loading it must cost milliseconds (JSON of 1.7 MB of floats would
 * cost more than it saves).
 *
 * Layout: MAGIC (8 bytes) · SHA-256 of the rest (32) · header length (uint32 LE) · header JSON ·
 * padding to 8 bytes · arrays, each at an offset the header names.
 */
const MAGIC = Buffer.from('SBCLF001');
const HASH_BYTES = 32;

type ArrayKind = 'f32' | 'i32' | 'u8';
type NumberArray = Float32Array | Int32Array | Uint8Array;

interface ArrayRef {
  kind: ArrayKind;
  offset: number;
  length: number;
}

interface MemberHeader {
  name: string;
  kind: MemberModel['kind'];
  dims: Record<string, number>;
  arrays: Record<string, ArrayRef>;
}

interface Header {
  /** Whatever the caller keys the file with (the training cache: a hash of the catalog and the training code). */
  key: string;
  classes: string[];
  outOfScopeLabel: string;
  threshold: number;
  temperatures: number[];
  featureOptions: FeatureOptions;
  vocabulary: string[];
  blocks: ArrayRef;
  idf: ArrayRef;
  members: MemberHeader[];
}

export class ClassifierFileError extends Error {}

export function encodeClassifier(classifier: OfflineClassifier, key: string): Buffer {
  const chunks: Buffer[] = [];
  let offset = 0;
  const put = (array: NumberArray): ArrayRef => {
    const ref: ArrayRef = { kind: kindOf(array), offset, length: array.length };
    const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    const padded = Buffer.alloc(align(bytes.length));
    bytes.copy(padded);
    chunks.push(padded);
    offset += padded.length;
    return ref;
  };
  const { parts } = classifier;
  const state = parts.featurizer.toState();
  const header: Header = {
    key,
    classes: [...parts.classes],
    outOfScopeLabel: parts.outOfScopeLabel,
    threshold: parts.threshold,
    temperatures: [...parts.temperatures],
    featureOptions: state.options,
    vocabulary: orderedVocabulary(state.vocabulary),
    blocks: put(state.blocks),
    idf: put(state.idf),
    members: parts.members.map((member) => memberHeader(member.name, member.spec, put)),
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const headerLength = Buffer.alloc(4);
  headerLength.writeUInt32LE(headerBytes.length);
  const headerEnd = MAGIC.length + HASH_BYTES + 4 + headerBytes.length;
  const body = Buffer.concat([headerLength, headerBytes, Buffer.alloc(align(headerEnd) - headerEnd), ...chunks]);
  return Buffer.concat([MAGIC, createHash('sha256').update(body).digest(), body]);
}

/** The classifier saved in `bytes`, when its key is `key`; undefined for another key; ClassifierFileError when damaged. */
export function decodeClassifier(bytes: Buffer, key: string): OfflineClassifier | undefined {
  if (bytes.length < MAGIC.length + HASH_BYTES + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ClassifierFileError('not a classifier file');
  }
  const body = bytes.subarray(MAGIC.length + HASH_BYTES);
  if (!createHash('sha256').update(body).digest().equals(bytes.subarray(MAGIC.length, MAGIC.length + HASH_BYTES))) {
    throw new ClassifierFileError('checksum mismatch');
  }
  const headerLength = body.readUInt32LE(0);
  const header = JSON.parse(body.subarray(4, 4 + headerLength).toString('utf8')) as Header;
  if (header.key !== key) return undefined;
  const dataStart = align(MAGIC.length + HASH_BYTES + 4 + headerLength);
  const get = <K extends ArrayKind>(ref: ArrayRef, kind: K) => {
    if (ref.kind !== kind) throw new ClassifierFileError(`array of ${ref.kind}, expected ${kind}`);
    return readArray(bytes, dataStart + ref.offset, ref) as K extends 'f32' ? Float32Array : K extends 'i32' ? Int32Array : Uint8Array;
  };
  const featurizer = TfidfFeaturizer.fromState({
    options: header.featureOptions,
    vocabulary: new Map(header.vocabulary.map((feature, index) => [feature, index])),
    blocks: get(header.blocks, 'u8'),
    idf: get(header.idf, 'f32'),
  });
  const members = header.members.map((member) => ensembleMember(member.name, memberModel(member, (ref) => get(ref, 'f32'))));
  return new OfflineClassifier({
    featurizer,
    members,
    temperatures: header.temperatures,
    classes: header.classes,
    outOfScopeLabel: header.outOfScopeLabel,
    threshold: header.threshold,
  });
}

function memberHeader(name: string, spec: MemberModel, put: (array: NumberArray) => ArrayRef): MemberHeader {
  if (spec.kind === 'svm') {
    const { classes, features, weights, bias } = spec.model;
    return { name, kind: 'svm', dims: { classes, features }, arrays: { weights: put(weights), bias: put(bias) } };
  }
  const { inputs, hidden, classes, w1, b1, w2, b2 } = spec.model;
  return { name, kind: 'network', dims: { inputs, hidden, classes }, arrays: { w1: put(w1), b1: put(b1), w2: put(w2), b2: put(b2) } };
}

function memberModel(member: MemberHeader, get: (ref: ArrayRef) => Float32Array): MemberModel {
  const array = (name: string) => {
    const ref = member.arrays[name];
    if (!ref) throw new ClassifierFileError(`member ${member.name} has no ${name}`);
    return get(ref);
  };
  const dim = (name: string) => {
    const value = member.dims[name];
    if (typeof value !== 'number') throw new ClassifierFileError(`member ${member.name} has no ${name}`);
    return value;
  };
  if (member.kind === 'svm') {
    return { kind: 'svm', model: { classes: dim('classes'), features: dim('features'), weights: array('weights'), bias: array('bias') } };
  }
  return {
    kind: 'network',
    model: { inputs: dim('inputs'), hidden: dim('hidden'), classes: dim('classes'), w1: array('w1'), b1: array('b1'), w2: array('w2'), b2: array('b2') },
  };
}

/** The vocabulary's features by index (the featurizer numbers them 0…n-1). */
function orderedVocabulary(vocabulary: ReadonlyMap<string, number>): string[] {
  const ordered = new Array<string>(vocabulary.size);
  for (const [feature, index] of vocabulary) ordered[index] = feature;
  return ordered;
}

function kindOf(array: NumberArray): ArrayKind {
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Int32Array) return 'i32';
  return 'u8';
}

/** A copy of the array at `start` (a copy: typed arrays need aligned offsets, and the file buffer may be reused). */
function readArray(bytes: Buffer, start: number, ref: ArrayRef): NumberArray {
  const width = ref.kind === 'u8' ? 1 : 4;
  const end = start + ref.length * width;
  if (!Number.isInteger(ref.length) || ref.length < 0 || end > bytes.length) throw new ClassifierFileError('array out of bounds');
  const copy = new Uint8Array(ref.length * width);
  copy.set(bytes.subarray(start, end));
  if (ref.kind === 'f32') return new Float32Array(copy.buffer);
  if (ref.kind === 'i32') return new Int32Array(copy.buffer);
  return copy;
}

function align(n: number): number {
  return Math.ceil(n / 8) * 8;
}
