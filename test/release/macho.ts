// A structural check of a Mach-O executable's ad-hoc code signature, as macOS's loader would
// verify it: every 4 KiB page hashed and compared with the CodeDirectory. No Mac needed.
import { createHash } from 'node:crypto';

const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSSLOT_CODEDIRECTORY = 0;
const CS_ADHOC = 0x2;
const CS_HASHTYPE_SHA256 = 2;

export interface Segment {
  name: string;
  fileoff: number;
  filesize: number;
}

export interface SignatureReport {
  problems: string[];
  segments: Segment[];
  codeLimit: number;
  pages: number;
  identifier: string;
  signatureOffset: number;
}

export function checkAdHocSignature(file: Buffer, fuse: string): SignatureReport {
  const problems: string[] = [];
  const report: SignatureReport = {
    problems,
    segments: [],
    codeLimit: 0,
    pages: 0,
    identifier: '',
    signatureOffset: 0,
  };
  if (file.readUInt32LE(0) !== MH_MAGIC_64) {
    problems.push('not a 64-bit little-endian Mach-O (no fat binaries here)');
    return report;
  }
  const ncmds = file.readUInt32LE(16);
  let sig: { dataoff: number; datasize: number } | undefined;
  for (let i = 0, at = 32; i < ncmds; i++) {
    const cmd = file.readUInt32LE(at);
    const size = file.readUInt32LE(at + 4);
    if (cmd === LC_SEGMENT_64) {
      const name = file.toString('latin1', at + 8, at + 24).replace(/\0.*$/s, '');
      report.segments.push({
        name,
        fileoff: Number(file.readBigUInt64LE(at + 40)),
        filesize: Number(file.readBigUInt64LE(at + 48)),
      });
    }
    if (cmd === LC_CODE_SIGNATURE) sig = { dataoff: file.readUInt32LE(at + 8), datasize: file.readUInt32LE(at + 12) };
    at += size;
  }
  const linkedit = report.segments.find((s) => s.name === '__LINKEDIT');
  if (!linkedit) problems.push('no __LINKEDIT segment');
  else if (linkedit.fileoff + linkedit.filesize !== file.length)
    problems.push(`__LINKEDIT ends at ${linkedit.fileoff + linkedit.filesize}, the file at ${file.length}`);
  if (!sig) {
    problems.push('no LC_CODE_SIGNATURE');
    return report;
  }
  report.signatureOffset = sig.dataoff;
  if (sig.dataoff % 16 !== 0) problems.push(`LC_CODE_SIGNATURE data offset ${sig.dataoff} is not 16-byte aligned`);
  if (sig.dataoff + sig.datasize > file.length) problems.push('the signature runs past the end of the file');
  if (file.readUInt32BE(sig.dataoff) !== CSMAGIC_EMBEDDED_SIGNATURE) {
    problems.push('the signature is not an embedded-signature SuperBlob');
    return report;
  }
  const count = file.readUInt32BE(sig.dataoff + 8);
  let cd = -1;
  for (let i = 0; i < count; i++) {
    const entry = sig.dataoff + 12 + i * 8;
    if (file.readUInt32BE(entry) === CSSLOT_CODEDIRECTORY) cd = sig.dataoff + file.readUInt32BE(entry + 4);
  }
  if (cd < 0 || file.readUInt32BE(cd) !== CSMAGIC_CODEDIRECTORY) {
    problems.push('no CodeDirectory in the signature');
    return report;
  }
  const flags = file.readUInt32BE(cd + 12);
  const hashOffset = file.readUInt32BE(cd + 16);
  const identOffset = file.readUInt32BE(cd + 20);
  const nCodeSlots = file.readUInt32BE(cd + 28);
  const codeLimit = file.readUInt32BE(cd + 32);
  const hashSize = file.readUInt8(cd + 36);
  const hashType = file.readUInt8(cd + 37);
  const pageSize = 2 ** file.readUInt8(cd + 39);
  report.codeLimit = codeLimit;
  report.pages = nCodeSlots;
  report.identifier = file.toString('latin1', cd + identOffset, file.indexOf(0, cd + identOffset));
  if (!(flags & CS_ADHOC)) problems.push(`CodeDirectory flags 0x${flags.toString(16)} lack CS_ADHOC`);
  if (hashType !== CS_HASHTYPE_SHA256 || hashSize !== 32)
    problems.push(`hash type ${hashType}/${hashSize} bytes, expected SHA-256`);
  if (codeLimit !== sig.dataoff) problems.push(`codeLimit ${codeLimit} is not the signature's offset ${sig.dataoff}`);
  if (nCodeSlots !== Math.ceil(codeLimit / pageSize))
    problems.push(`${nCodeSlots} page hashes for ${Math.ceil(codeLimit / pageSize)} pages`);
  let wrong = 0;
  for (let i = 0; i < nCodeSlots; i++) {
    const page = file.subarray(i * pageSize, Math.min((i + 1) * pageSize, codeLimit));
    const stored = file.subarray(cd + hashOffset + i * hashSize, cd + hashOffset + (i + 1) * hashSize);
    if (!createHash('sha256').update(page).digest().equals(stored) && wrong++ < 3)
      problems.push(`page ${i} (offset ${i * pageSize}) does not match its hash`);
  }
  if (wrong > 3) problems.push(`${wrong} pages in all do not match their hashes`);
  const sea = report.segments.find((s) => s.name === 'NODE_SEA');
  if (!sea) problems.push('no NODE_SEA segment: the application is not in the executable');
  else if (sea.fileoff + sea.filesize > codeLimit) problems.push('the NODE_SEA segment lies outside the signed range');
  const fuseAt = file.indexOf(`${fuse}:1`);
  if (fuseAt < 0 || fuseAt >= codeLimit) problems.push('the SEA fuse is not flipped inside the signed range');
  return report;
}
