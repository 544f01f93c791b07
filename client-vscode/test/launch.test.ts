import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
    chooseExecutable,
    chooseInterpreter,
    describeProblem,
    isSupportedPython,
    planServerLaunch,
    pythonLaunch,
    substituteVariables,
    type LaunchRequest,
    type ProbeResult,
} from '../src/core/launch';

const BUNDLED = '/ext/bundled/libs';

function probeAnswering(result: Partial<ProbeResult>) {
    const calls: { interpreter: readonly string[]; env: Record<string, string> }[] = [];
    const probe = (interpreter: readonly string[], env: Record<string, string>) => {
        calls.push({ interpreter, env });
        return Promise.resolve({ version: [3, 11, 7] as [number, number, number], executable: '/usr/bin/python3', hasMlreview: true, ...result });
    };
    return { probe, calls };
}

function request(overrides: Partial<LaunchRequest> = {}): LaunchRequest {
    return {
        interpreter: [],
        path: [],
        args: [],
        importStrategy: 'useBundled',
        pythonExtensionInterpreter: undefined,
        systemPython: 'python3',
        bundledLibsDir: BUNDLED,
        bundledLibsPresent: true,
        inheritedPythonPath: undefined,
        exists: () => false,
        probe: probeAnswering({}).probe,
        ...overrides,
    };
}

describe('chooseInterpreter', () => {
    test('the mlreview.interpreter setting wins, with its leading arguments', () => {
        assert.deepEqual(chooseInterpreter(['conda', 'run', '-n', 'ml', 'python'], '/venv/bin/python', 'python3'), {
            command: ['conda', 'run', '-n', 'ml', 'python'],
            source: 'setting',
        });
    });

    test('then the Python extension, then python3 on PATH', () => {
        assert.deepEqual(chooseInterpreter([], '/venv/bin/python', 'python3'), { command: ['/venv/bin/python'], source: 'pythonExtension' });
        assert.deepEqual(chooseInterpreter([], undefined, 'python3'), { command: ['python3'], source: 'systemPath' });
    });

    test('blank entries in the setting do not count as an interpreter', () => {
        assert.equal(chooseInterpreter(['', '  '], '/venv/bin/python', 'python3').source, 'pythonExtension');
    });
});

describe('chooseExecutable', () => {
    test('takes the first path that exists', () => {
        const exists = (file: string) => file === '/b/mlreview' || file === '/c/mlreview';
        assert.equal(chooseExecutable(['/a/mlreview', '/b/mlreview', '/c/mlreview'], exists), '/b/mlreview');
        assert.equal(chooseExecutable(['/a/mlreview'], exists), undefined);
    });
});

describe('substituteVariables', () => {
    const values = { workspaceFolder: '/work/proj', userHome: '/home/me', env: { VENV: '/opt/venv' } };

    test('expands workspaceFolder, userHome and env variables', () => {
        assert.equal(substituteVariables('${workspaceFolder}/.venv/bin/python', values), '/work/proj/.venv/bin/python');
        assert.equal(substituteVariables('${userHome}/bin/mlreview', values), '/home/me/bin/mlreview');
        assert.equal(substituteVariables('${env:VENV}/bin/python', values), '/opt/venv/bin/python');
        assert.equal(substituteVariables('${env:MISSING}x', values), 'x');
    });

    test('leaves ${workspaceFolder} alone when no folder is open, and unknown variables always', () => {
        assert.equal(substituteVariables('${workspaceFolder}/py', { ...values, workspaceFolder: undefined }), '${workspaceFolder}/py');
        assert.equal(substituteVariables('${file}', values), '${file}');
    });
});

describe('pythonLaunch', () => {
    test('bundled: python -m mlreview server with the bundled libraries first on PYTHONPATH', () => {
        const launch = pythonLaunch({ interpreter: ['py', '-X', 'utf8'], bundledLibsDir: BUNDLED, extraArgs: ['--foo'], inheritedPythonPath: '/mine' });
        assert.equal(launch.command, 'py');
        assert.deepEqual(launch.args, ['-X', 'utf8', '-m', 'mlreview', 'server', '--foo']);
        assert.equal(launch.env.PYTHONPATH, [BUNDLED, '/mine'].join(path.delimiter));
        assert.equal(launch.env.PYTHONSAFEPATH, '1');
    });

    test('from the environment: the user PYTHONPATH is left as it is', () => {
        const launch = pythonLaunch({ interpreter: ['py'], bundledLibsDir: undefined, extraArgs: [], inheritedPythonPath: '/mine' });
        assert.equal(launch.env.PYTHONPATH, undefined);
        assert.deepEqual(launch.args, ['-m', 'mlreview', 'server']);
    });
});

describe('planServerLaunch', () => {
    test('an existing mlreview.path executable is run directly, without probing Python', async () => {
        const { probe, calls } = probeAnswering({});
        const plan = await planServerLaunch(request({ path: ['/bin/mlreview'], args: ['--x'], exists: () => true, probe }));
        assert.ok(plan.ok);
        assert.equal(plan.launch.command, '/bin/mlreview');
        assert.deepEqual(plan.launch.args, ['server', '--x']);
        assert.equal(calls.length, 0);
    });

    test('a missing mlreview.path falls back to Python with a note', async () => {
        const plan = await planServerLaunch(request({ path: ['/nope/mlreview'] }));
        assert.ok(plan.ok);
        assert.equal(plan.launch.command, 'python3');
        assert.match(plan.notes.join(), /mlreview\.path/);
    });

    test('bundled: probes with the same environment the server will get', async () => {
        const { probe, calls } = probeAnswering({});
        const plan = await planServerLaunch(request({ pythonExtensionInterpreter: '/venv/bin/python', probe }));
        assert.ok(plan.ok);
        assert.deepEqual(calls[0]?.interpreter, ['/venv/bin/python']);
        assert.equal(calls[0]?.env.PYTHONPATH, BUNDLED);
        assert.equal(plan.launch.env.PYTHONPATH, BUNDLED);
        assert.match(plan.launch.description, /bundled server, Python 3\.11\.7/);
    });

    test('useBundled without a bundle (a development checkout) uses the environment and says so', async () => {
        const plan = await planServerLaunch(request({ bundledLibsPresent: false }));
        assert.ok(plan.ok);
        assert.equal(plan.launch.env.PYTHONPATH, undefined);
        assert.match(plan.notes.join(), /No bundled server/);
    });

    test('no Python at all is a problem, not a start', async () => {
        const plan = await planServerLaunch(request({ probe: () => Promise.reject(new Error('the command was not found')) }));
        assert.equal(plan.ok, false);
        if (plan.ok) return;
        assert.equal(plan.problem.kind, 'noPython');
        assert.match(describeProblem(plan.problem), /could not run Python \("python3"\): the command was not found/);
    });

    test('Python older than 3.10 is refused with its version named', async () => {
        const plan = await planServerLaunch(request({ probe: probeAnswering({ version: [3, 9, 18] }).probe }));
        assert.equal(plan.ok, false);
        if (plan.ok) return;
        assert.equal(plan.problem.kind, 'pythonTooOld');
        assert.match(describeProblem(plan.problem), /needs Python 3\.10 or newer.*3\.9\.18/);
    });

    test('fromEnvironment without mlreview installed says how to fix it', async () => {
        const plan = await planServerLaunch(request({ importStrategy: 'fromEnvironment', probe: probeAnswering({ hasMlreview: false }).probe }));
        assert.equal(plan.ok, false);
        if (plan.ok) return;
        assert.equal(plan.problem.kind, 'mlreviewMissing');
        assert.match(describeProblem(plan.problem), /not installed for "\/usr\/bin\/python3".*useBundled/);
    });
});

test('isSupportedPython', () => {
    assert.ok(isSupportedPython([3, 10, 0]));
    assert.ok(isSupportedPython([3, 13, 1]));
    assert.ok(isSupportedPython([4, 0, 0]));
    assert.ok(!isSupportedPython([3, 9, 18]));
    assert.ok(!isSupportedPython([2, 7, 18]));
});
