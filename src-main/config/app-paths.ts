import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Triad keeps its data (the embedded database) and its cache (downloaded models). */
export interface AppPaths {
  dataDir: string;
  cacheDir: string;
}

/**
 * The platform's conventional folders, overridable by TRIAD_DATA_DIR and TRIAD_CACHE_DIR. The Electron
 * shell passes its own userData folder instead; this is for the headless commands (smoke, bench, browser mode).
 */
export function defaultAppPaths(env: Record<string, string | undefined> = process.env, platform = process.platform, home = homedir()): AppPaths {
  const base = (() => {
    if (platform === 'darwin') return { data: join(home, 'Library', 'Application Support', 'Triad'), cache: join(home, 'Library', 'Caches', 'Triad') };
    if (platform === 'win32') {
      const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
      return { data: join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Triad'), cache: join(local, 'Triad', 'Cache') };
    }
    return {
      data: join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'triad'),
      cache: join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'triad'),
    };
  })();
  return { dataDir: env.TRIAD_DATA_DIR ?? base.data, cacheDir: env.TRIAD_CACHE_DIR ?? base.cache };
}
