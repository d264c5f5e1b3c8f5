// Where uploaded files live: <dataDir>/upload/files/<first two hex digits>/<file id>, with uploads
// in progress in <dataDir>/upload/partial/ (same file system, so completing one is a rename and a
// reader never sees a partial file). Names on disk are generated ids only: the client's file name
// is metadata and never becomes part of a path.
import { join } from "node:path";
import type { Config } from "../../config/types.js";
import { isFileId } from "./ids.js";

export class UploadLayout {
  readonly root: string;
  readonly filesDir: string;
  readonly partialDir: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, "upload");
    this.filesDir = join(this.root, "files");
    this.partialDir = join(this.root, "partial");
  }

  static of(config: Pick<Config, "dataDir">): UploadLayout {
    return new UploadLayout(config.dataDir);
  }

  /** The stored file of a completed upload. */
  filePath(id: string): string {
    if (!isFileId(id)) throw new RangeError(`not a file id: ${JSON.stringify(id)}`);
    return join(this.filesDir, id.slice(0, 2), id);
  }

  /** The directory filePath(id) is in. */
  shardDir(id: string): string {
    return join(this.filesDir, id.slice(0, 2));
  }

  /** A fresh name for one upload attempt (several attempts of a slot never share a file). */
  partialPath(id: string, attempt: string): string {
    if (!isFileId(id)) throw new RangeError(`not a file id: ${JSON.stringify(id)}`);
    return join(this.partialDir, `${id}.${attempt}`);
  }
}
