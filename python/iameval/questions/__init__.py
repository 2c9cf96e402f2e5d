"""Questions about whole accounts and organizations (issue 11, part 2): ``can`` so far.

- :class:`Environment`: loaded accounts (:func:`iameval.account.load_gaad`), their organization and resource
  policies; it builds the exact policy set and request for a principal, action and resource.
- :func:`can`: the decision for one principal, action and resource, with the deciding statements named after
  the policies of the export, as an :class:`Answer`.
- :class:`Answers`: a table of answers (JSON, CSV, pandas, Arrow); every question answers with rows of the same
  shape.
- :func:`run` (:mod:`iameval.questions.scale`): a question over many principals, in chunks, here, on local
  worker processes or on a Dask cluster, with the same rows in the same order.
"""

from iameval.questions.answer import FIELDS, Answer, Answers, PolicyRef
from iameval.questions.can import can, can_each
from iameval.questions.environment import Environment, Subject
from iameval.questions.scale import run

__all__ = ["FIELDS", "Answer", "Answers", "Environment", "PolicyRef", "Subject", "can", "can_each", "run"]
