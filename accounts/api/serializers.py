"""Serializers of the accounts API."""

from rest_framework import serializers

from ..models import User


class UserSerializer(serializers.ModelSerializer):
    teams = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = User
        fields = ("id", "username", "full_name", "email", "role", "timezone", "teams")
        read_only_fields = fields
