// Upload of a workflow artifact through the runner's artifact service.
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";

export interface ArtifactFile {
  /** Absolute path of the file to upload. */
  from: string;
  /** Path inside the artifact. */
  as: string;
}

/** Uploads `files` as the artifact `name`; returns its id. */
export async function uploadFilesArtifact(
  name: string,
  files: ArtifactFile[],
  stagingDir: string,
): Promise<number | undefined> {
  // Staged under one root, as the artifact client requires; its paths inside the artifact follow.
  const root = join(stagingDir, name);
  for (const file of files) {
    const target = join(root, file.as);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(file.from, target);
  }
  // Loaded only when asked for: the artifact client is large and most runs never need it.
  const { DefaultArtifactClient } = await import("@actions/artifact");
  const client = new DefaultArtifactClient();
  const result = await client.uploadArtifact(
    name,
    files.map((f) => join(root, f.as)),
    root,
    { retentionDays: undefined },
  );
  return result.id;
}
