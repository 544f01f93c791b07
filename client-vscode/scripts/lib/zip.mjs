// @ts-check
// Reads a .vsix (a plain zip) with node alone, so the checks need no `unzip` binary.

import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/**
 * @typedef {{ name: string, method: number, compressedSize: number, size: number, localHeaderOffset: number }} ZipEntry
 */

/**
 * Lists the entries of a zip archive held in memory.
 * @param {Buffer} archive
 * @returns {ZipEntry[]}
 */
export function listEntries(archive) {
    const end = findEndOfCentralDirectory(archive);
    const count = archive.readUInt16LE(end + 10);
    let offset = archive.readUInt32LE(end + 16);
    /** @type {ZipEntry[]} */
    const entries = [];
    for (let i = 0; i < count; i++) {
        if (archive.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`corrupt central directory at byte ${offset}`);
        const nameLength = archive.readUInt16LE(offset + 28);
        const extraLength = archive.readUInt16LE(offset + 30);
        const commentLength = archive.readUInt16LE(offset + 32);
        entries.push({
            name: archive.toString('utf8', offset + 46, offset + 46 + nameLength),
            method: archive.readUInt16LE(offset + 10),
            compressedSize: archive.readUInt32LE(offset + 20),
            size: archive.readUInt32LE(offset + 24),
            localHeaderOffset: archive.readUInt32LE(offset + 42),
        });
        offset += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
}

/**
 * The uncompressed bytes of one entry (stored or deflated, the two methods vsce uses).
 * @param {Buffer} archive
 * @param {ZipEntry} entry
 * @returns {Buffer}
 */
export function readEntry(archive, entry) {
    const header = entry.localHeaderOffset;
    if (archive.readUInt32LE(header) !== LOCAL_FILE_HEADER) throw new Error(`corrupt local header for ${entry.name}`);
    // The local header's own lengths can differ from the central directory's.
    const dataStart = header + 30 + archive.readUInt16LE(header + 26) + archive.readUInt16LE(header + 28);
    const data = archive.subarray(dataStart, dataStart + entry.compressedSize);
    if (entry.method === 0) return Buffer.from(data);
    if (entry.method === 8) return inflateRawSync(data);
    throw new Error(`${entry.name}: unsupported compression method ${entry.method}`);
}

/** @param {Buffer} archive */
function findEndOfCentralDirectory(archive) {
    // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
    const earliest = Math.max(0, archive.length - 22 - 0xffff);
    for (let offset = archive.length - 22; offset >= earliest; offset--) {
        if (archive.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) return offset;
    }
    throw new Error('not a zip archive (no end of central directory record)');
}
