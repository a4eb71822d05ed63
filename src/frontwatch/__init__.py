"""frontwatch: sourced, geolocated events and claims from war reporting."""

__version__ = "0.1.0"
