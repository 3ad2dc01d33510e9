from django.conf import settings


def map_settings(request) -> dict:
    return {
        "MAP_TILES_URL": settings.MAP_TILES_URL,
        "MAP_TILES_ATTRIBUTION": settings.MAP_TILES_ATTRIBUTION,
        "MAP_TILES_MAX_ZOOM": settings.MAP_TILES_MAX_ZOOM,
    }
