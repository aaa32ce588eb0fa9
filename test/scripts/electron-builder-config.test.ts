// electron-builder.yml against electron-builder's own JSON schema (app-builder-lib/scheme.json), and against what
// the app expects of the package: the unpacked addon where native-binding.ts looks, the icons and entitlements.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as load } from 'yaml';
import { downloadFailureLine } from '../../scripts/dist.mjs';
import { packagedBindingPath } from '../../src/main/app/native-binding';

const ROOT = resolve(import.meta.dirname, '../..');
interface BuilderConfig {
  asarUnpack: string[];
  npmRebuild: boolean;
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string; hardenedRuntime: boolean; entitlements: string; entitlementsInherit: string };
  win: { target: string[]; icon: string };
}
const config = load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const schemePath = createRequire(import.meta.url).resolve('app-builder-lib/scheme.json');
const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(schemePath, 'utf8')));

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's schema", () => {
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('the schema check is not vacuous: a misspelt option and a wrong type are refused', () => {
    expect(validate({ ...config, asarUnpak: config.asarUnpack })).toBe(false);
    expect(validate({ ...config, mac: { ...config.mac, hardenedRuntime: 'yes' } })).toBe(false);
  });

  it('targets AppImage and deb, dmg with the hardened runtime, and NSIS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.win.target).toEqual(['nsis']);
  });

  it("unpacks better-sqlite3's addon exactly where the packaged app looks for it", () => {
    const resourcesPath = '/opt/Hookbench/resources';
    const inUnpacked = relative(join(resourcesPath, 'app.asar.unpacked'), packagedBindingPath(resourcesPath));
    const patterns = config.asarUnpack;
    const matches = patterns.some((p) => {
      const dir = dirname(p);
      return (
        dir === dirname(inUnpacked) &&
        new RegExp(`^${p.replaceAll('.', '\\.').replaceAll('*', '[^/]*')}$`).test(inUnpacked)
      );
    });
    expect(matches, `${inUnpacked} against ${patterns.join(', ')}`).toBe(true);
    expect(config.npmRebuild).toBe(true);
  });

  it('points at icons and an entitlements plist that exist', () => {
    for (const path of [
      config.linux.icon,
      config.mac.icon,
      config.win.icon,
      config.mac.entitlements,
      config.mac.entitlementsInherit,
    ]) {
      expect(existsSync(join(ROOT, path)), path).toBe(true);
    }
    const plist = readFileSync(join(ROOT, config.mac.entitlements), 'utf8');
    expect(plist).toContain('<key>com.apple.security.cs.allow-jit</key>');
    expect(plist).not.toContain('disable-library-validation');
  });
});

describe('npm run dist without Electron downloads', () => {
  const target = { electronVersion: '45.5.0', platform: 'linux', arch: 'x64' };
  it('turns a failed download into one line saying what is missing', () => {
    const line = downloadFailureLine(
      '⨯ Get "https://github.com/electron/electron/releases/...": dial tcp: lookup github.com: getaddrinfo ENOTFOUND',
      target,
    );
    expect(line).toMatch(/^dist: could not download Electron 45\.5\.0 \(linux-x64\)/);
    expect(line).not.toContain('\n');
  });

  it("leaves any other failure to electron-builder's own output", () => {
    expect(downloadFailureLine('⨯ Application entry file "out/main/index.js" does not exist', target)).toBeNull();
  });
});
