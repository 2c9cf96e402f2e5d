"""Questions about whole accounts and organizations: can, who-can, what-can, external access, privesc.

- :class:`Environment`: loaded accounts (:func:`iameval.account.load_gaad`), their organization and resource
  policies; it builds the exact policy set and request for a principal, action and resource.
- :func:`can`: the decision for one principal, action and resource, with the deciding statements named after
  the policies of the export, as an :class:`Answer`; :func:`can_each` for several principals.
- :func:`who_can` (:mod:`~iameval.questions.who_can`): every principal allowed an action on a resource, loaded
  or named by the resource's policy; :func:`what_can` (:mod:`~iameval.questions.what_can`): every action of
  AWS's catalog a principal is allowed, on ``*`` and on the loaded resources. Both run on the grid layer
  (:mod:`~iameval.questions.grid`).
- :func:`external_access` (:mod:`~iameval.questions.external`): resources whose policies let principals
  outside the account or the organization, or anyone, in.
- :func:`privesc` (:mod:`~iameval.questions.privesc`): principals that can escalate their privileges by the
  known paths, each decided by the engine.
- :class:`Answers`: a table of answers (JSON, CSV, pandas, Arrow); every question answers with rows of the same
  shape.
- :func:`run` (:mod:`iameval.questions.scale`): a question over many principals, in chunks, here, on local
  worker processes or on a Dask cluster, with the same rows in the same order.

The submodules are named after the questions; the package's attributes ``who_can``, ``what_can`` and
``privesc`` are the functions (import a submodule by its full name: ``from iameval.questions.who_can import
scopes``).
"""

from iameval.questions.answer import FIELDS, Answer, Answers, PolicyRef
from iameval.questions.can import can, can_each
from iameval.questions.environment import Environment, Subject
from iameval.questions.external import external_access
from iameval.questions.privesc import privesc
from iameval.questions.scale import run
from iameval.questions.what_can import what_can
from iameval.questions.who_can import who_can

__all__ = ["FIELDS", "Answer", "Answers", "Environment", "PolicyRef", "Subject", "can", "can_each",
           "external_access", "privesc", "run", "what_can", "who_can"]
