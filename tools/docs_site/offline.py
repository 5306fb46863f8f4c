"""Make the docs site that `antsibull-docs sphinx-init` set up build offline: write a stand-in
intersphinx inventory and point conf.py at it. Usage: python tools/docs_site/offline.py SITE_DIR

The generated conf.py maps four intersphinx inventories (Python 2, Python 3, Jinja2, Ansible
devel), each fetched from the internet at build time; offline each fetch is a warning, and
with -W a failed build. Nothing here refers to Python or Jinja2 documentation. The pages
antsibull-docs writes do refer to three labels of the Ansible documentation (below), so the
stand-in inventory holds exactly those, with their real addresses under the same base URL the
generated conf.py uses, and the few environment variables of ansible-core's configuration they
refer to (ENVVARS). A reference to any other label outside the site stays an "undefined label"
(or "'envvar' reference target not found") warning and fails the build: add it here (with its
real page and anchor) or drop the reference.
"""
from __future__ import annotations

import os
import sys
import zlib

ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/devel/"
# label -> (page and anchor under ANSIBLE_DOCS, title), as in ansible-documentation's rst sources
LABELS = {
    # "This module has a corresponding action plugin." on the page of a module with an action
    # plugin (ansible-doc's has_action: a plugins/action/ file of the module's name)
    "action_plugins": ("plugins/action.html#action-plugins", "Action plugins"),
    # the "Common return values" link above each module's return values
    "common_return_values": ("reference_appendices/common_return_values.html#common-return-values",
                             "Return Values"),
    # the environment variables index links the configuration reference
    "ansible_configuration_settings": ("reference_appendices/config.html#ansible-configuration-settings",
                                       "Ansible Configuration Settings"),
}
# Environment variables of ansible-core's own configuration that generated pages refer to (not in
# the site's environment variable index): the cache settings of the ansible.builtin.inventory_cache
# fragment (the circleci_runners inventory plugin). Sphinx anchors them envvar-NAME on the
# configuration reference.
ENVVARS = ("ANSIBLE_CACHE_PLUGIN", "ANSIBLE_CACHE_PLUGIN_CONNECTION", "ANSIBLE_CACHE_PLUGIN_PREFIX",
           "ANSIBLE_CACHE_PLUGIN_TIMEOUT")
ENVVAR_PAGE = "reference_appendices/config.html"
INVENTORY = "ansible_devel.inv"


def write_inventory(path: str) -> None:
    """Sphinx inventory format version 2: four header lines, then zlib-compressed entries of
    `name domain:role priority uri display-name`."""
    header = ("# Sphinx inventory version 2\n# Project: Ansible (stand-in, the labels this site uses)\n"
              "# Version: devel\n# The remainder of this file is compressed using zlib.\n")
    body = "".join(f"{name} std:label -1 {uri} {title}\n" for name, (uri, title) in sorted(LABELS.items()))
    body += "".join(f"{name} std:envvar 1 {ENVVAR_PAGE}#envvar-{name} -\n" for name in ENVVARS)
    with open(path, "wb") as fh:
        fh.write(header.encode() + zlib.compress(body.encode()))


def main() -> int:
    site = sys.argv[1]
    write_inventory(os.path.join(site, INVENTORY))
    with open(os.path.join(site, "conf.py"), "a", encoding="utf-8") as fh:
        fh.write(
            "\n# Offline build (tools/docs_site/offline.py): one inventory, the stand-in beside rst/,\n"
            "# never fetched from the network.\n"
            f"intersphinx_mapping = {{'ansible_devel': ({ANSIBLE_DOCS!r}, '../{INVENTORY}')}}\n"
        )
    print(f"{INVENTORY}: {len(LABELS)} labels and {len(ENVVARS)} environment variables of the Ansible documentation;"
          " intersphinx reads nothing else")
    return 0


if __name__ == "__main__":
    sys.exit(main())
