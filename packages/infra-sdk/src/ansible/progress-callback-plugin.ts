/** The name our callback plugin is enabled by (`ANSIBLE_CALLBACKS_ENABLED`). */
export const PROGRESS_CALLBACK_NAME = 'leviathan_progress';

/** The environment variable that tells the plugin which file descriptor to write to. */
export const PROGRESS_FD_ENV = 'LEVIATHAN_ANSIBLE_PROGRESS_FD';

/**
 * The source of `leviathan_progress.py`, a notification callback plugin written into each run's
 * private directory and put on `ANSIBLE_CALLBACK_PLUGINS`. Shipped as a string so that it needs
 * no asset copying in the ESM and CJS builds.
 *
 * Why a plugin of our own: the JSON stdout callback prints its document only when the run ends
 * (ansible.posix.json buffers everything until `v2_playbook_on_stats`), so it cannot report
 * progress. Callbacks run in Ansible's main process (workers send results back through the
 * final queue), so one writer owns the descriptor; each event is one `os.write` of one line.
 */
export const PROGRESS_CALLBACK_SOURCE = `# Written by @leviathan/infra-sdk (src/ansible/progress-callback-plugin.ts). Do not edit.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = '''
    name: ${PROGRESS_CALLBACK_NAME}
    type: notification
    short_description: one JSON line per playbook event on a file descriptor
    description:
      - Reports progress to @leviathan/infra-sdk while a run goes, on the descriptor named by
        ${PROGRESS_FD_ENV}; stdout is left to the stdout callback.
'''

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'notification'
    CALLBACK_NAME = '${PROGRESS_CALLBACK_NAME}'
    CALLBACK_NEEDS_ENABLED = True
    CALLBACK_NEEDS_WHITELIST = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        fd = os.environ.get('${PROGRESS_FD_ENV}', '')
        self._fd = int(fd) if fd.isdigit() else None

    def _emit(self, event):
        if self._fd is None:
            return
        data = (json.dumps(event, default=str, separators=(',', ':')) + '\\n').encode('utf-8')
        try:
            while data:
                data = data[os.write(self._fd, data):]
        except OSError:
            # The reader went away: stop reporting, never fail the run for it.
            self._fd = None

    @staticmethod
    def _task(task):
        return {'id': str(task._uuid), 'name': task.get_name().strip(), 'action': str(task.action)}

    def _host(self, status, result):
        res = result._result if isinstance(result._result, dict) else {}
        event = {
            'type': 'host-result',
            'host': result._host.get_name(),
            'status': status,
            'task': self._task(result._task),
            'changed': bool(res.get('changed', False)),
        }
        msg = res.get('msg')
        if isinstance(msg, str):
            event['msg'] = msg
        self._emit(event)

    def v2_playbook_on_start(self, playbook):
        self._emit({'type': 'playbook-start', 'path': str(getattr(playbook, '_file_name', ''))})

    def v2_playbook_on_play_start(self, play):
        self._emit({'type': 'play-start', 'play': {'id': str(play._uuid), 'name': play.get_name().strip()}})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._emit({'type': 'task-start', 'task': self._task(task), 'handler': False})

    def v2_playbook_on_handler_task_start(self, task):
        self._emit({'type': 'task-start', 'task': self._task(task), 'handler': True})

    def v2_runner_on_ok(self, result):
        self._host('changed' if result._result.get('changed', False) else 'ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._host('ignored' if ignore_errors else 'failed', result)

    def v2_runner_on_skipped(self, result):
        self._host('skipped', result)

    def v2_runner_on_unreachable(self, result):
        self._host('unreachable', result)

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed.keys())
        self._emit({'type': 'stats', 'stats': dict((h, stats.summarize(h)) for h in hosts)})
`;
