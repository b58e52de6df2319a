from __future__ import annotations

import sys
from pathlib import Path

# The generated corpus with ground truth lives beside the rights tests.
sys.path.insert(0, str(Path(__file__).parent.parent / "rights"))
